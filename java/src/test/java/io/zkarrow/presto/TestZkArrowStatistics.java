package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.Session;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;
import com.facebook.presto.tpch.TpchPlugin;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Column statistics for Presto's cost-based optimizer: {@code SHOW STATS} of a table written by
 * CREATE TABLE AS agrees with what queries compute (distinct values within 5 %, exact null
 * fractions, low / high values equal to min / max), and cost-based join ordering puts the smaller
 * zkarrow table on the build side.
 */
@Test(singleThreaded = true)
public class TestZkArrowStatistics extends AbstractZkArrowTest {
    private DistributedQueryRunner runner;
    private Session session;

    public TestZkArrowStatistics() {
        super("stats");
    }

    @BeforeClass
    public void setUp() throws Exception {
        Path warehouse = workDir.resolve("warehouse");
        runner = createRunner("zkarrow", catalogProperties(null, warehouse));
        runner.installPlugin(new TpchPlugin());
        runner.createCatalog("tpch", "tpch");
        session = ZkArrowTestSupport.session("zkarrow", "st");
        runner.execute("CREATE SCHEMA zkarrow.st");
        runner.execute(
                session,
                "CREATE TABLE orders AS SELECT orderkey, custkey, orderstatus, totalprice,"
                        + " orderdate, shippriority,"
                        + " CASE WHEN orderkey % 7 = 0 THEN NULL ELSE clerk END AS clerk,"
                        + " CASE WHEN orderkey % 3 = 0 THEN NULL ELSE custkey % 100 END AS bucket"
                        + " FROM tpch.tiny.orders");
        runner.execute(session, "CREATE TABLE customer AS SELECT * FROM tpch.tiny.customer");
    }

    /** SHOW STATS rows by column name; the summary row (row count) under "". */
    private Map<String, MaterializedRow> showStats(String table) {
        MaterializedResult stats = runner.execute(session, "SHOW STATS FOR " + table);
        Map<String, MaterializedRow> rows = new HashMap<>();
        for (MaterializedRow row : stats.getMaterializedRows()) {
            Object name = row.getField(0);
            rows.put(name == null ? "" : (String) name, row);
        }
        return rows;
    }

    @Test
    public void testShowStatsAgreesWithQueries() {
        MaterializedResult columns = runner.execute(session, "SHOW STATS FOR orders");
        System.out.println(columns);
        // SHOW STATS columns: column_name, data_size, distinct_values_count, nulls_fraction,
        // row_count, low_value, high_value
        int dataSize = 1;
        int distinct = 2;
        int nulls = 3;
        int rowCount = 4;
        int low = 5;
        int high = 6;
        Map<String, MaterializedRow> stats = showStats("orders");

        long rows = (Long) runner.execute(session, "SELECT count(*) FROM orders").getOnlyValue();
        assertEquals(((Number) stats.get("").getField(rowCount)).longValue(), rows);

        String[] all = {
            "orderkey",
            "custkey",
            "orderstatus",
            "totalprice",
            "orderdate",
            "shippriority",
            "clerk",
            "bucket"
        };
        for (String column : all) {
            MaterializedRow row = stats.get(column);
            assertNotNull(row, column + " has no statistics row");
            MaterializedRow truth =
                    runner.execute(
                                    session,
                                    "SELECT count(DISTINCT "
                                            + column
                                            + "), count(*) - count("
                                            + column
                                            + "), CAST(min("
                                            + column
                                            + ") AS varchar), CAST(max("
                                            + column
                                            + ") AS varchar) FROM orders")
                            .getMaterializedRows()
                            .get(0);
            long distinctTruth = (Long) truth.getField(0);
            double estimate = ((Number) row.getField(distinct)).doubleValue();
            assertTrue(
                    Math.abs(estimate - distinctTruth) <= 0.05 * distinctTruth,
                    column + ": " + estimate + " distinct values for " + distinctTruth);
            assertEquals(
                    ((Number) row.getField(nulls)).doubleValue(),
                    ((Long) truth.getField(1)).doubleValue() / rows,
                    column + " null fraction");
            if (column.equals("orderstatus") || column.equals("clerk")) {
                // varchar: no range, a data size
                assertEquals(row.getField(low), null, column);
                assertTrue(((Number) row.getField(dataSize)).doubleValue() > 0, column);
            } else {
                assertEquals(lowHigh(row.getField(low)), lowHigh(truth.getField(2)), column);
                assertEquals(lowHigh(row.getField(high)), lowHigh(truth.getField(3)), column);
            }
        }
    }

    /** A bound as text: numbers compared as numbers (SHOW STATS and CAST spell doubles apart). */
    private static Object lowHigh(Object value) {
        String text = String.valueOf(value);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    @Test
    public void testCostBasedJoinPutsTheSmallerTableOnTheBuildSide() {
        Session costBased =
                Session.builder(session)
                        .setSystemProperty("join_reordering_strategy", "AUTOMATIC")
                        .setSystemProperty("join_distribution_type", "AUTOMATIC")
                        .build();
        // written with the small table first: without statistics it stays the probe side
        String query =
                "SELECT count(*) FROM customer c JOIN orders o ON c.custkey = o.custkey"
                        + " WHERE o.totalprice > 0";
        String plan =
                (String)
                        runner.execute(costBased, "EXPLAIN (TYPE DISTRIBUTED) " + query)
                                .getOnlyValue();
        int orders = plan.indexOf("st.orders@");
        int customer = plan.indexOf("st.customer@");
        assertTrue(orders >= 0 && customer >= 0, plan);
        // the probe side is printed first, the build side (the smaller customer) after it
        assertTrue(orders < customer, "customer should be the build side:\n" + plan);
        assertEquals(
                runner.execute(costBased, query).getOnlyValue(),
                runner.execute(session, query).getOnlyValue());
    }
}
