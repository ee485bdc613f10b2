package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;

import com.facebook.presto.Session;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;

import io.zkarrow.presto.protocol.Table;
import io.zkarrow.presto.protocol.ZkArrowClient;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * information_schema over a schema of several tables: answered from one describe_tables call
 * (ZkArrowMetadata.listTableColumns), with every table's columns in order.
 */
@Test(singleThreaded = true)
public class TestZkArrowBulkMetadata extends AbstractZkArrowTest {
    private static final String ROOT = "/zkarrow/bulk";
    private static final int TABLES = 12;

    private DistributedQueryRunner runner;
    private Session session;
    private ZkArrowClient client;

    public TestZkArrowBulkMetadata() {
        super("bulk");
    }

    @BeforeClass
    public void setUp() throws Exception {
        runner = createRunner("zkarrow", catalogProperties(ROOT, workDir.resolve("warehouse")));
        session = ZkArrowTestSupport.session("zkarrow", "many");
        runner.execute(session, "CREATE SCHEMA zkarrow.many");
        runner.execute(session, "CREATE SCHEMA zkarrow.elsewhere");
        for (int i = 0; i < TABLES; i++) {
            runner.execute(session, "CREATE TABLE " + table(i) + " (" + columns(i) + ")");
        }
        runner.execute(session, "INSERT INTO t04 VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        runner.execute(session, "CREATE TABLE zkarrow.elsewhere.other (x double)");
        runner.execute(session, "CREATE TABLE doomed (gone bigint)");
        runner.execute(session, "DROP TABLE doomed");
        client = client(connectNativeCatalog(ROOT, workDir.resolve("warehouse")), runner);
    }

    private static String table(int i) {
        return String.format("t%02d", i);
    }

    /** Table i: k0 bigint, then i % 3 more columns alternately varchar and double. */
    private static String columns(int i) {
        List<String> columns = new ArrayList<>();
        columns.add("k0 bigint");
        for (int c = 1; c <= i % 3; c++) {
            columns.add("k" + c + (c % 2 == 1 ? " varchar" : " double"));
        }
        return String.join(", ", columns);
    }

    @Test
    public void testColumnsOfEveryTableOfTheSchema() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < TABLES; i++) {
            for (String column : columns(i).split(", ")) {
                expected.add(table(i) + " " + column);
            }
        }
        List<String> actual =
                runner
                        .execute(
                                session,
                                "SELECT table_name, column_name, data_type FROM"
                                        + " zkarrow.information_schema.columns WHERE"
                                        + " table_schema = 'many' ORDER BY table_name,"
                                        + " ordinal_position")
                        .getMaterializedRows()
                        .stream()
                        .map(TestZkArrowBulkMetadata::joined)
                        .collect(Collectors.toList());
        assertEquals(actual, expected);

        // the whole catalog (less its system tables): both schemas, the dropped table nowhere
        List<String> everywhere =
                runner.execute(
                                session,
                                "SELECT DISTINCT table_schema || '.' || table_name FROM"
                                    + " zkarrow.information_schema.columns WHERE table_schema NOT"
                                    + " IN ('information_schema', 'system') ORDER BY 1")
                        .getOnlyColumn()
                        .map(String.class::cast)
                        .collect(Collectors.toList());
        List<String> tables = new ArrayList<>();
        tables.add("elsewhere.other");
        for (int i = 0; i < TABLES; i++) {
            tables.add("many." + table(i));
        }
        assertEquals(everywhere, tables);
        assertEquals(
                runner.execute(
                                session,
                                "SELECT count(*) FROM zkarrow.information_schema.tables WHERE"
                                        + " table_schema = 'many'")
                        .getOnlyValue(),
                (long) TABLES);
    }

    /** describe_tables answers what get_table answers, for every table at once. */
    @Test
    public void testDescribeTablesAgreesWithGetTable() {
        List<ZkArrowClient.TableInfo> described = client.describeTables(Optional.of("many"));
        assertEquals(described.size(), TABLES);
        for (int i = 0; i < TABLES; i++) {
            Table one = client.tableRecord("many", table(i)).orElseThrow();
            assertEquals(described.get(i).getTable(), one);
        }
        assertEquals(described.get(4).getRowCount().getAsLong(), 3L);
        assertEquals(client.describeTables(Optional.empty()).size(), TABLES + 1);
        assertEquals(client.describeTables(Optional.of("no_such_schema")).size(), 0);
    }

    private static String joined(MaterializedRow row) {
        return row.getFields().stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
}
