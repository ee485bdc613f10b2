package io.zkarrow.presto;

import static com.facebook.presto.common.type.BigintType.BIGINT;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.facebook.presto.Session;
import com.facebook.presto.common.Page;
import com.facebook.presto.common.RuntimeMetric;
import com.facebook.presto.common.RuntimeStats;
import com.facebook.presto.common.block.Block;
import com.facebook.presto.execution.QueryInfo;
import com.facebook.presto.execution.QueryManager;
import com.facebook.presto.operator.OperatorStats;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.QueryId;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;
import com.facebook.presto.tests.ResultWithQueryId;
import com.facebook.presto.tpch.TpchPlugin;

import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.nativelib.NativeCatalog;
import io.zkarrow.presto.nativelib.NativeReader;
import io.zkarrow.presto.protocol.Column;
import io.zkarrow.presto.protocol.DataFile;
import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.ScanRequest;
import io.zkarrow.presto.protocol.ZkArrowClient;
import io.zkarrow.presto.scan.ZkArrowPageSource;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes coalesce Presto pages into record batches of the configured size ({@code
 * zkarrow.write-batch-rows}, the live {@code write_batch_rows}), and column-less scans count the
 * rows right from the batches' headers.
 */
@Test(singleThreaded = true)
public class TestZkArrowLeanScans extends AbstractZkArrowTest {
    private static final String ROOT = "/zkarrow/zkarrow";

    private DistributedQueryRunner runner;
    private Session session;
    private ZkArrowClient client;

    public TestZkArrowLeanScans() {
        super("lean");
    }

    @BeforeClass
    public void setUp() throws Exception {
        Path warehouse = workDir.resolve("warehouse");
        Map<String, String> properties = catalogProperties(ROOT, warehouse);
        properties.put("zkarrow.write-batch-rows", "20000");
        runner = createRunner("zkarrow", properties);
        runner.installPlugin(new TpchPlugin());
        runner.createCatalog("tpch", "tpch");
        session = ZkArrowTestSupport.session("zkarrow", "lean");
        runner.execute("CREATE SCHEMA zkarrow.lean");
        NativeCatalog nativeCatalog = connectNativeCatalog(ROOT, warehouse);
        client = client(nativeCatalog, runner);
    }

    @Test
    public void testWritesCoalesceIntoBatchesOfTheConfiguredSize() {
        // 600,572 rows of four columns: about 28 bytes a row, so 20,000 rows come before 1 MB
        runner.execute(
                session,
                "CREATE TABLE items AS SELECT orderkey, partkey, quantity, shipdate"
                        + " FROM tpch.\"sf0.1\".lineitem");
        List<DataFile> files = client.files("lean", "items", null);
        long rows = 0;
        long batches = 0;
        for (DataFile file : files) {
            List<Long> batchRows = file.batchRows();
            for (int i = 0; i < batchRows.size() - 1; i++) {
                assertEquals((long) batchRows.get(i), 20_000L, file.path() + ": " + batchRows);
            }
            assertTrue(batchRows.get(batchRows.size() - 1) <= 20_000L, batchRows.toString());
            rows += file.rows();
            batches += batchRows.size();
        }
        assertEquals(rows, 600_572L);
        // each writer ends with at most one partial batch
        assertTrue(batches <= 600_572 / 20_000 + files.size(), batches + " batches");
        MaterializedResult listed =
                runner.execute(session, "SELECT sum(rows), sum(batches) FROM \"items$files\"");
        assertEquals(listed.getMaterializedRows().get(0).getField(0), 600_572L);
        assertEquals(
                ((Number) listed.getMaterializedRows().get(0).getField(1)).longValue(), batches);
        report(
                "CTAS of 600,572 rows with write_batch_rows=20000: %d files, %d record batches%n",
                files.size(), batches);

        // count(*) reads no column: the right answer, every row counted
        Scan count = scan("SELECT count(*) FROM items");
        assertEquals(count.result.getOnlyValue(), 600_572L);
        assertEquals(count.rowsRead, 600_572L);
        assertEquals(
                runner.execute(session, "SELECT count(*), sum(quantity) FROM items")
                        .getMaterializedRows()
                        .get(0)
                        .getFields(),
                runner.execute(
                                session,
                                "SELECT count(*), sum(quantity) FROM tpch.\"sf0.1\".lineitem")
                        .getMaterializedRows()
                        .get(0)
                        .getFields());

        // the live setting changes the batches of the next write
        runner.execute("CALL zkarrow.system.set_config('write_batch_rows', '5000')");
        waitFor(
                () ->
                        runner.execute(
                                        "SELECT count(*) FROM zkarrow.system.config WHERE key ="
                                                + " 'write_batch_rows' AND value <> '5000'")
                                .getOnlyValue()
                                .equals(0L));
        runner.execute(
                session,
                "INSERT INTO items SELECT orderkey, partkey, quantity, shipdate"
                        + " FROM tpch.tiny.lineitem");
        java.util.Set<String> before = new java.util.HashSet<>();
        for (DataFile file : files) {
            before.add(file.path());
        }
        long smaller = 0;
        for (DataFile file : client.files("lean", "items", null)) {
            if (!before.contains(file.path())) {
                for (long r : file.batchRows()) {
                    assertTrue(r <= 5_000L, file.batchRows().toString());
                }
                smaller += file.rows();
            }
        }
        assertEquals(smaller, 60_175L);
        assertEquals(
                runner.execute(session, "SELECT count(*) FROM items").getOnlyValue(), 660_747L);
        runner.execute("CALL zkarrow.system.set_config('write_batch_rows', '65536')");
    }

    @Test
    public void testSelectiveFiltersConvertFewColumns() {
        // 600,572 rows in record batches of 20,000: pages of at most 8192 rows; partkey is spread
        // over every batch, so statistics prune no batch and every page is read
        runner.execute(
                session,
                "CREATE TABLE lazy AS SELECT orderkey, suppkey, comment, partkey"
                        + " FROM tpch.\"sf0.1\".lineitem");
        String selective = " FROM %s WHERE partkey = 7";
        Scan scan = scan(String.format("SELECT orderkey, suppkey, comment" + selective, "lazy"));
        MaterializedResult expected =
                runner.execute(
                        String.format(
                                "SELECT orderkey, suppkey, comment" + selective,
                                "tpch.\"sf0.1\".lineitem"));
        assertEquals(
                new java.util.HashSet<>(scan.result.getMaterializedRows()),
                new java.util.HashSet<>(expected.getMaterializedRows()));
        int matches = expected.getRowCount();
        assertTrue(matches > 0, "partkey 7 has rows");
        assertEquals(scan.rowsRead, 600_572L);
        // 4 lazy columns a page: the filter's column on every page, the 3 others only on pages
        // with a matching row
        assertEquals((scan.converted + scan.skipped) % 4, 0L, scan.toString());
        long pages = (scan.converted + scan.skipped) / 4;
        long pagesConverted = (scan.converted - pages) / 3;
        assertEquals(scan.converted, pages + 3 * pagesConverted, scan.toString());
        assertTrue(pages >= 600_572 / 8192, scan.toString());
        assertTrue(pagesConverted >= 1 && pagesConverted <= matches, scan.toString());
        assertTrue(pagesConverted < pages, scan.toString());
        report(
                "lazy blocks, %d rows match partkey = 7: %d pages read, the other 3 columns"
                        + " converted for %d of them (%d columns converted, %d skipped)%n",
                matches, pages, pagesConverted, scan.converted, scan.skipped);

        // a filter every row passes converts every column of every page
        Scan all = scan("SELECT sum(orderkey), sum(suppkey) FROM lazy WHERE partkey > 0");
        assertEquals(
                all.result.getMaterializedRows(),
                runner.execute(
                                "SELECT sum(orderkey), sum(suppkey) FROM tpch.\"sf0.1\".lineitem"
                                        + " WHERE partkey > 0")
                        .getMaterializedRows());
        assertEquals(all.skipped, 0L, all.toString());
        assertEquals(all.converted, 3 * pages, all.toString());
    }

    @Test
    public void testLazyBlocksLoadOnlyFromTheCurrentPage() throws Exception {
        runner.execute(
                session, "CREATE TABLE stale AS SELECT orderkey, comment FROM tpch.tiny.lineitem");
        DataFile file = null;
        for (DataFile candidate : client.files("lean", "stale", null)) {
            if (file == null || candidate.rows() > file.rows()) {
                file = candidate;
            }
        }
        assertTrue(file.rows() > 8192, file.rows() + " rows: more than one page");
        List<ZkArrowColumnHandle> columns = client.getTable("lean", "stale").get().getColumns();
        List<Column> scanColumns = new java.util.ArrayList<>();
        for (ZkArrowColumnHandle column : columns) {
            scanColumns.add(
                    new Column(
                            column.getId(),
                            column.getName(),
                            column.getType().getTypeSignature().toString(),
                            column.getFileName()));
        }
        String request =
                Json.write(
                        new ScanRequest(
                                file.path(), 0, file.batchRows().size(), scanColumns, false));
        RuntimeStats stats = new RuntimeStats();
        ZkArrowPageSource source =
                new ZkArrowPageSource(NativeReader.start(request), columns, stats);
        Page first = source.getNextPage();
        Block ids = first.getBlock(0).getLoadedBlock();
        // loading twice is served from the block
        assertTrue(first.getBlock(0).getLoadedBlock() == ids);
        assertEquals(ids.getPositionCount(), first.getPositionCount());
        assertTrue(BIGINT.getLong(ids, 0) > 0);
        Page second = source.getNextPage();
        PrestoException stale =
                expectThrows(PrestoException.class, () -> first.getBlock(1).getLoadedBlock());
        assertEquals(stale.getErrorCode(), ZkArrowErrorCode.INTERNAL.toErrorCode());
        assertTrue(stale.getMessage().contains("moved on to page 2"), stale.getMessage());
        // the failed load ended the scan: what is left of page 2 cannot be loaded either
        PrestoException closed =
                expectThrows(PrestoException.class, () -> second.getBlock(1).getLoadedBlock());
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertTrue(source.isFinished());
        assertEquals(stats.getMetric(ZkArrowPageSource.COLUMNS_CONVERTED).getSum(), 1L);
        source.close();
        assertEquals(stats.getMetric(ZkArrowPageSource.COLUMNS_SKIPPED).getSum(), 3L);

        // a page source that is closed refuses its last page's blocks
        ZkArrowPageSource closing =
                new ZkArrowPageSource(NativeReader.start(request), columns, new RuntimeStats());
        Page page = closing.getNextPage();
        closing.close();
        PrestoException afterClose =
                expectThrows(PrestoException.class, () -> page.getBlock(0).getLoadedBlock());
        assertTrue(afterClose.getMessage().contains("closed"), afterClose.getMessage());
    }

    /** Prints a figure and appends it to build/lean-scans.txt (the test JVM's output is hidden). */
    private static void report(String format, Object... args) {
        String line = String.format(format, args);
        System.out.print(line);
        try {
            java.nio.file.Files.writeString(
                    java.nio.file.Path.of("build", "lean-scans.txt"),
                    line,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            System.out.println("cannot write build/lean-scans.txt: " + e);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "condition not met in 10 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private Scan scan(String sql) {
        ResultWithQueryId<MaterializedResult> result = runner.executeWithQueryId(session, sql);
        QueryInfo info = finalQueryInfo(result.getQueryId());
        long rows = 0;
        long converted = 0;
        long skipped = 0;
        for (OperatorStats operator : info.getQueryStats().getOperatorSummaries()) {
            String type = operator.getOperatorType();
            if (type.equals("TableScanOperator") || type.equals("ScanFilterAndProjectOperator")) {
                rows += operator.getRawInputPositions();
                converted += metric(operator, ZkArrowPageSource.COLUMNS_CONVERTED);
                skipped += metric(operator, ZkArrowPageSource.COLUMNS_SKIPPED);
            }
        }
        return new Scan(result.getResult(), rows, converted, skipped);
    }

    private static long metric(OperatorStats operator, String name) {
        RuntimeMetric metric = operator.getRuntimeStats().getMetric(name);
        return metric == null ? 0 : metric.getSum();
    }

    private QueryInfo finalQueryInfo(QueryId queryId) {
        QueryManager queries = runner.getCoordinator().getQueryManager();
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            QueryInfo info = queries.getFullQueryInfo(queryId);
            if (info.isFinalQueryInfo()) {
                return info;
            }
            assertTrue(System.currentTimeMillis() < deadline, "no final info of " + queryId);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static final class Scan {
        final MaterializedResult result;
        final long rowsRead;
        final long converted;
        final long skipped;

        Scan(MaterializedResult result, long rowsRead, long converted, long skipped) {
            this.result = result;
            this.rowsRead = rowsRead;
            this.converted = converted;
            this.skipped = skipped;
        }

        @Override
        public String toString() {
            List<MaterializedRow> rows = result.getMaterializedRows();
            return rows
                    + " read "
                    + rowsRead
                    + " rows, converted "
                    + converted
                    + " columns, skipped "
                    + skipped;
        }
    }
}
