package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.Session;
import com.facebook.presto.execution.QueryInfo;
import com.facebook.presto.execution.QueryManager;
import com.facebook.presto.operator.OperatorStats;
import com.facebook.presto.spi.QueryId;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;
import com.facebook.presto.tests.ResultWithQueryId;
import com.facebook.presto.tpch.TpchPlugin;

import io.zkarrow.presto.nativelib.NativeCatalog;
import io.zkarrow.presto.protocol.BatchStats;
import io.zkarrow.presto.protocol.ColumnStats;
import io.zkarrow.presto.protocol.DataFile;
import io.zkarrow.presto.protocol.ZkArrowClient;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What plan_splits does with what the plugin sends, measured on real queries: the rows a scan read
 * (raw input positions of its scan operators) and the splits it ran (their drivers: one per split).
 *
 * <ul>
 *   <li>File skipping: a predicate on a column skips the files whose statistics exclude it.
 *   <li>Record batch skipping: within a file, splits cover only the record batches whose statistics
 *       may hold a matching row.
 *   <li>Statistics are found by column id: a dropped and re-added column of the same name is never
 *       judged by the old column's statistics.
 *   <li>The live {@code split_target_size} setting sizes splits.
 *   <li>Splits are sized by the bytes of the projected columns.
 *   <li>LIMIT pushdown: a LIMIT directly over the scan plans only the leading record batches that
 *       hold that many rows.
 * </ul>
 */
@Test(singleThreaded = true)
public class TestZkArrowPushdown extends AbstractZkArrowTest {
    private static final String ROOT = "/zkarrow/zkarrow";

    private DistributedQueryRunner runner;
    private Session session;
    private ZkArrowClient client;

    public TestZkArrowPushdown() {
        super("pushdown");
    }

    @BeforeClass
    public void setUp() throws Exception {
        Path warehouse = workDir.resolve("warehouse");
        runner = createRunner("zkarrow", catalogProperties(ROOT, warehouse));
        runner.installPlugin(new TpchPlugin());
        runner.createCatalog("tpch", "tpch");
        // one writer per INSERT of a single-node source: one data file per INSERT
        session =
                Session.builder(ZkArrowTestSupport.session("zkarrow", "p"))
                        .setSystemProperty("redistribute_writes", "false")
                        .setSystemProperty("task_writer_count", "1")
                        .build();
        runner.execute("CREATE SCHEMA zkarrow.p");
        NativeCatalog nativeCatalog = connectNativeCatalog(ROOT, warehouse);
        client = client(nativeCatalog, runner);
    }

    /** Three INSERTs of disjoint keys, one file each; a key range of one file reads that file. */
    @Test
    public void testPredicateSkipsFilesByStatistics() {
        runner.execute(session, "CREATE TABLE keyed (k bigint, label varchar)");
        for (int i = 0; i < 3; i++) {
            runner.execute(
                    session,
                    "INSERT INTO keyed SELECT x, 'row ' || CAST(x AS varchar) FROM"
                            + " UNNEST(sequence("
                            + (i * 1000 + 1)
                            + ", "
                            + (i * 1000 + 1000)
                            + ")) AS t(x)");
        }
        List<DataFile> files = client.files("p", "keyed", null);
        assertEquals(files.size(), 3, "one file per INSERT");
        files.sort(Comparator.comparingLong(f -> ((Number) stats(f, "k").min()).longValue()));
        DataFile middle = files.get(1);
        assertEquals(stats(middle, "k").min(), 1001L);
        assertEquals(stats(middle, "k").max(), 2000L);

        Scan pruned = scan("SELECT count(*) FROM keyed WHERE k BETWEEN 1200 AND 1300");
        assertEquals(pruned.result.getOnlyValue(), 101L);
        assertEquals(pruned.rowsRead, middle.rows(), "only the file of keys 1001..2000 is read");
        assertEquals(pruned.splits, 1);

        // a predicate Presto cannot express as a domain of k reads everything
        Scan unpruned = scan("SELECT count(*) FROM keyed WHERE abs(k) BETWEEN 1200 AND 1300");
        assertEquals(unpruned.result.getOnlyValue(), 101L);
        assertEquals(unpruned.rowsRead, 3000L);

        // ranges on both sides of the middle file, and a varchar domain
        Scan outer = scan("SELECT count(*) FROM keyed WHERE k < 10 OR k > 2990");
        assertEquals(outer.result.getOnlyValue(), 19L);
        assertEquals(outer.rowsRead, 2000L);
        Scan none = scan("SELECT count(*) FROM keyed WHERE k > 5000");
        assertEquals(none.result.getOnlyValue(), 0L);
        assertEquals(none.rowsRead, 0L);
        Scan label = scan("SELECT count(*) FROM keyed WHERE label = 'row 2500'");
        assertEquals(label.result.getOnlyValue(), 1L);
        // 'row 2500' lies between 'row 1' and 'row 999' (bytes): only keys 1001..2000 are skipped
        assertEquals(label.rowsRead, 2000L, "a varchar domain skips files");
        System.out.printf(
                "file skipping: %d rows read with the domain of k, %d without (table of 3000)%n",
                pruned.rowsRead, unpruned.rowsRead);
    }

    /**
     * A dropped and re-added column of the same name gets a new id: the old column's statistics
     * (values 1..10, no NULL) must not exclude the new column, which reads NULL in the old file.
     */
    @Test
    public void testReAddedColumnIsNotJudgedByTheOldStatistics() {
        runner.execute(session, "CREATE TABLE readded (k bigint, v bigint)");
        runner.execute(
                session, "INSERT INTO readded SELECT x, x FROM UNNEST(sequence(1, 10)) AS t(x)");
        runner.execute(session, "ALTER TABLE readded DROP COLUMN v");
        runner.execute(session, "ALTER TABLE readded ADD COLUMN v bigint");
        runner.execute(
                session,
                "INSERT INTO readded SELECT x, 1000 FROM UNNEST(sequence(11, 15)) AS t(x)");

        // by name, the old file's statistics (no NULL in v) would skip it: 0 rows, wrongly
        Scan nulls = scan("SELECT count(*) FROM readded WHERE v IS NULL");
        assertEquals(nulls.result.getOnlyValue(), 10L);
        assertEquals(nulls.rowsRead, 10L, "the old file is read, the new one (no NULL) skipped");

        // by name, the old statistics (1..10) would keep the old file for v = 5 and skip it for
        // v = 1000; by id the old file has no statistics of the new v and is always read
        Scan five = scan("SELECT count(*) FROM readded WHERE v = 5");
        assertEquals(five.result.getOnlyValue(), 0L);
        assertEquals(five.rowsRead, 10L);
        Scan thousand = scan("SELECT count(*) FROM readded WHERE v = 1000");
        assertEquals(thousand.result.getOnlyValue(), 5L);
        assertEquals(thousand.rowsRead, 15L);
        System.out.printf(
                "re-added column: IS NULL read %d rows (answer %s), v = 1000 read %d%n",
                nulls.rowsRead, nulls.result.getOnlyValue(), thousand.rowsRead);
    }

    /**
     * The live {@code split_target_size} sizes splits: at 1 byte every record batch is a split, at
     * 1GB every file is one; a scan of no column (count(*)) gets one split per file.
     */
    @Test
    public void testLiveSplitSizeAndProjectedBytes() throws Exception {
        runner.execute(
                session,
                "CREATE TABLE wide AS SELECT orderkey, rpad(comment, 400, '.') AS padding FROM"
                        + " tpch.tiny.lineitem");
        List<DataFile> files = client.files("p", "wide", null);
        long batches = 0;
        long bytes = 0;
        for (DataFile file : files) {
            batches += file.batchBytes().size();
            for (long b : file.batchBytes()) {
                bytes += b;
            }
        }
        assertTrue(batches >= 4 * files.size(), files.size() + " files of " + batches + " batches");
        try {
            setSplitTargetSize(1);
            Scan small = scan("SELECT sum(orderkey) FROM wide");
            assertEquals(small.splits, batches, "a split per record batch");
            Scan noColumns = scan("SELECT count(*) FROM wide");
            assertEquals(noColumns.result.getOnlyValue(), 60175L);
            assertEquals(noColumns.splits, files.size(), "a scan of no column: a split per file");

            setSplitTargetSize(1L << 30);
            Scan big = scan("SELECT sum(orderkey) FROM wide");
            assertEquals(big.splits, files.size(), "a split per file");
            assertEquals(big.result.getOnlyValue(), small.result.getOnlyValue());
            System.out.printf(
                    "live split size: %d splits at 1B, %d at 1GB (%d files, %d batches)%n",
                    small.splits, big.splits, files.size(), batches);

            // about two batches of every column per split: SELECT * gets about a split per two
            // batches, the narrow bigint column (about 2% of the bytes) far fewer
            long target = 2 * bytes / batches;
            setSplitTargetSize(target);
            Scan all = scan("SELECT * FROM wide");
            Scan narrow = scan("SELECT orderkey FROM wide");
            assertEquals(all.rowsRead, 60175L);
            assertEquals(narrow.rowsRead, 60175L);
            assertTrue(
                    all.splits >= batches / 4,
                    "SELECT * at " + target + "B: " + all.splits + " splits of " + batches);
            assertTrue(
                    narrow.splits < all.splits,
                    "the projection gets fewer splits: "
                            + narrow.splits
                            + " against "
                            + all.splits);
            System.out.printf(
                    "projected bytes at %dB per split: SELECT * %d splits, SELECT orderkey %d%n",
                    target, all.splits, narrow.splits);
        } finally {
            setSplitTargetSize(64L << 20);
        }
    }

    /**
     * One file written in key order, 500 rows per record batch: a key range reads about one batch,
     * a predicate that is no domain of k reads all of them.
     */
    @Test
    public void testPredicateSkipsRecordBatchesByStatistics() throws Exception {
        try {
            setConfig("write_batch_rows", "500");
            runner.execute(
                    session,
                    "CREATE TABLE ordered AS SELECT x AS k, 'v' || CAST(x AS varchar) AS label"
                            + " FROM UNNEST(sequence(1, 10000)) AS t(x)");
        } finally {
            setConfig("write_batch_rows", "65536");
        }
        List<DataFile> files = client.files("p", "ordered", null);
        assertEquals(files.size(), 1);
        DataFile file = files.get(0);
        assertTrue(file.batchRows().size() >= 20, file.batchRows().size() + " batches");
        BatchStats k = file.batchColumns().get("k");
        assertTrue(k != null, "batch statistics of k: " + file.batchColumns().keySet());
        assertEquals(k.min().size(), file.batchRows().size());

        Scan range = scan("SELECT count(*) FROM ordered WHERE k BETWEEN 5200 AND 5400");
        assertEquals(range.result.getOnlyValue(), 201L);
        assertEquals(range.rowsRead, overlapping(file, "k", 5200, 5400));
        // about one batch; a few when the writer's pages arrive slightly out of key order
        assertTrue(range.rowsRead <= 2500, range.rowsRead + " rows read for 201");
        Scan all = scan("SELECT count(*) FROM ordered WHERE abs(k) BETWEEN 5200 AND 5400");
        assertEquals(all.result.getOnlyValue(), 201L);
        assertEquals(all.rowsRead, 10000L);
        System.out.printf(
                "batch skipping: k BETWEEN 5200 AND 5400 read %d rows in %d splits, abs(k) read"
                        + " %d (10000 rows, %d batches, one file)%n",
                range.rowsRead, range.splits, all.rowsRead, file.batchRows().size());
    }

    /**
     * A low-cardinality varchar is written dictionary-encoded (its 20 values all in the first
     * record batch, then one value per batch): an equality on it still skips record batches.
     */
    @Test
    public void testDictionaryColumnSkipsRecordBatches() throws Exception {
        try {
            setConfig("write_batch_rows", "500");
            runner.execute(
                    session,
                    "CREATE TABLE coded AS SELECT x AS k, chr(97 + CASE WHEN x <= 500 THEN x % 20"
                            + " ELSE (x - 1) / 500 END) AS status FROM UNNEST(sequence(1, 10000))"
                            + " AS t(x)");
        } finally {
            setConfig("write_batch_rows", "65536");
        }
        List<DataFile> files = client.files("p", "coded", null);
        assertEquals(files.size(), 1, "the dictionary held: no early roll");
        DataFile file = files.get(0);
        String type =
                TestZkArrowWrites.pyarrow(
                        "import pyarrow as pa, sys\n"
                            + "print(pa.ipc.open_file(sys.argv[1]).schema.field('status').type)\n",
                        file.path());
        assertEquals(type.trim(), "dictionary<values=string, indices=int32, ordered=0>");
        BatchStats status = file.batchColumns().get("status");
        assertTrue(status != null, "batch statistics of status: " + file.batchColumns().keySet());
        assertEquals(status.min().size(), file.batchRows().size());

        Scan equal = scan("SELECT count(*) FROM coded WHERE status = 'k'");
        assertEquals(equal.result.getOnlyValue(), 525L);
        assertTrue(equal.rowsRead <= 2500, equal.rowsRead + " rows read for 525");
        Scan all = scan("SELECT count(*) FROM coded WHERE upper(status) = 'K'");
        assertEquals(all.result.getOnlyValue(), 525L);
        assertEquals(all.rowsRead, 10000L);
        System.out.printf(
                "dictionary column: status = 'k' read %d rows, upper(status) read %d (10000 rows,"
                        + " %d batches)%n",
                equal.rowsRead, all.rowsRead, file.batchRows().size());
    }

    /**
     * The selective range of the performance issue ({@code l_orderkey < 6000}) on tpch.tiny
     * lineitem written in key order (one tpch split per node, one writer task per node): the rows
     * read with file pruning only (the files whose statistics may match) against with record
     * batches skipped too.
     */
    @Test
    public void testSelectiveRangeOnLineitem() throws Exception {
        runner.createCatalog("tpch1", "tpch", Map.of("tpch.splits-per-node", "1"));
        try {
            setConfig("write_batch_rows", "1000");
            runner.execute(
                    session, "CREATE TABLE lineitem_sorted AS SELECT * FROM tpch1.tiny.lineitem");
        } finally {
            setConfig("write_batch_rows", "65536");
        }
        List<DataFile> files = client.files("p", "lineitem_sorted", null);
        long filesOnly = 0;
        long batches = 0;
        for (DataFile file : files) {
            batches += file.batchRows().size();
            if (((Number) stats(file, "orderkey").min()).longValue() < 6000) {
                filesOnly += file.rows();
            }
        }
        Scan range = scan("SELECT count(*) FROM lineitem_sorted WHERE orderkey < 6000");
        Scan all = scan("SELECT count(*) FROM lineitem_sorted WHERE abs(orderkey) < 6000");
        assertEquals(range.result.getOnlyValue(), all.result.getOnlyValue());
        assertEquals(all.rowsRead, 60175L);
        long expected = 0;
        for (DataFile file : files) {
            expected += overlapping(file, "orderkey", Long.MIN_VALUE, 5999);
        }
        assertEquals(range.rowsRead, expected);
        assertTrue(range.rowsRead < filesOnly, range.rowsRead + " rows against " + filesOnly);
        System.out.printf(
                "selective range (orderkey < 6000, %s rows match) on tiny lineitem, %d files of"
                        + " %d batches: %d rows read with batch skipping, %d with file pruning"
                        + " only, %d with no pruning%n",
                range.result.getOnlyValue(),
                files.size(),
                batches,
                range.rowsRead,
                filesOnly,
                all.rowsRead);
    }

    /**
     * LIMIT pushdown on tiny lineitem in record batches of 1000 rows, a split per batch: {@code
     * LIMIT 10} runs one split of one batch; a LIMIT over a filter (which plan_splits cannot count
     * rows for) still finds rows at the end of the table; a LIMIT above the table's rows returns
     * them all.
     */
    @Test
    public void testLimitReadsOnlyTheLeadingBatches() throws Exception {
        try {
            setConfig("write_batch_rows", "1000");
            runner.execute(session, "CREATE TABLE limited AS SELECT * FROM tpch.tiny.lineitem");
        } finally {
            setConfig("write_batch_rows", "65536");
        }
        List<DataFile> files = client.files("p", "limited", null);
        long batches = 0;
        long largestBatch = 0;
        for (DataFile file : files) {
            batches += file.batchRows().size();
            for (long rows : file.batchRows()) {
                largestBatch = Math.max(largestBatch, rows);
            }
        }
        assertTrue(batches >= 60, files.size() + " files of " + batches + " batches");
        try {
            setSplitTargetSize(1);
            Scan everything = scan("SELECT sum(orderkey) FROM limited");
            assertEquals(everything.splits, batches, "a split per record batch");

            Scan ten = scan("SELECT * FROM limited LIMIT 10");
            assertEquals(ten.result.getRowCount(), 10);
            assertEquals(ten.splits, 1L, "one split of one batch holds 10 rows: " + ten);
            assertTrue(ten.rowsRead >= 10 && ten.rowsRead <= largestBatch, ten.toString());
            Scan projected = scan("SELECT orderkey + 1, comment FROM limited LIMIT 2500");
            assertEquals(projected.result.getRowCount(), 2500);
            assertTrue(projected.splits <= 3, "2500 rows in batches of 1000: " + projected);

            // a filter between the LIMIT and the scan: no pushdown, and the rows are found even
            // where the first batches hold none (abs() is no domain, so no file is skipped)
            long last =
                    (Long)
                            runner.execute(session, "SELECT max(orderkey) FROM limited")
                                    .getOnlyValue();
            long matching =
                    (Long)
                            runner.execute(
                                            session,
                                            "SELECT count(*) FROM limited WHERE orderkey = " + last)
                                    .getOnlyValue();
            assertTrue(matching > 0);
            Scan filtered =
                    scan(
                            "SELECT orderkey FROM limited WHERE abs(orderkey) = "
                                    + last
                                    + " LIMIT 10");
            assertEquals(filtered.result.getRowCount(), (int) Math.min(matching, 10));
            for (MaterializedRow row : filtered.result.getMaterializedRows()) {
                assertEquals(row.getField(0), last);
            }
            Scan unpushed = scan("SELECT * FROM limited WHERE abs(orderkey) >= 0 LIMIT 10");
            assertEquals(unpushed.result.getRowCount(), 10);

            // OFFSET: the LIMIT under it counts the skipped rows too (PushLimitThroughOffset)
            Session offsets =
                    Session.builder(session)
                            .setSystemProperty("offset_clause_enabled", "true")
                            .build();
            assertEquals(
                    runner.execute(offsets, "SELECT orderkey FROM limited OFFSET 1995 LIMIT 10")
                            .getRowCount(),
                    10);

            // more than the table: every row
            Scan above = scan("SELECT * FROM limited LIMIT 100000");
            assertEquals(above.result.getRowCount(), 60175);
            assertEquals(above.rowsRead, 60175L);
            assertEquals(above.splits, batches);
            assertEquals(
                    runner.execute(
                                    session,
                                    "SELECT count(*), sum(orderkey) FROM (SELECT * FROM limited"
                                            + " LIMIT 1000000)")
                            .getMaterializedRows(),
                    runner.execute(session, "SELECT count(*), sum(orderkey) FROM limited")
                            .getMaterializedRows());
            System.out.printf(
                    "LIMIT pushdown on tiny lineitem (%d files, %d batches of <= %d rows, a split"
                            + " per batch): LIMIT 10 read %d rows in %d splits; the same LIMIT"
                            + " over an opaque filter read %d rows in %d splits; the table is"
                            + " %d splits%n",
                    files.size(),
                    batches,
                    largestBatch,
                    ten.rowsRead,
                    ten.splits,
                    unpushed.rowsRead,
                    unpushed.splits,
                    everything.splits);
        } finally {
            setSplitTargetSize(64L << 20);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Rows of the record batches of {@code file} whose bounds of {@code column} meet [low, high].
     */
    private static long overlapping(DataFile file, String column, long low, long high) {
        BatchStats batches = file.batchColumns() == null ? null : file.batchColumns().get(column);
        if (batches == null) {
            ColumnStats stats = stats(file, column);
            boolean meets =
                    ((Number) stats.max()).longValue() >= low
                            && ((Number) stats.min()).longValue() <= high;
            return meets ? file.rows() : 0;
        }
        long rows = 0;
        for (int i = 0; i < file.batchRows().size(); i++) {
            long min = ((Number) batches.min().get(i)).longValue();
            long max = ((Number) batches.max().get(i)).longValue();
            if (max >= low && min <= high) {
                rows += file.batchRows().get(i);
            }
        }
        return rows;
    }

    /** Sets a live setting and waits until every node applies it. */
    private void setConfig(String key, String value) throws InterruptedException {
        runner.execute(session, "CALL zkarrow.system.set_config('" + key + "', '" + value + "')");
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            MaterializedResult applied =
                    runner.execute(
                            session,
                            "SELECT count(*) FROM zkarrow.system.config WHERE key = '"
                                    + key
                                    + "' AND value = '"
                                    + value
                                    + "'");
            if ((Long) applied.getOnlyValue() == runner.getNodeCount()) {
                return;
            }
            assertTrue(
                    System.currentTimeMillis() < deadline,
                    "the nodes did not apply " + key + "=" + value + ": " + applied);
            Thread.sleep(50);
        }
    }

    private static ColumnStats stats(DataFile file, String column) {
        ColumnStats stats = file.columns().get(column);
        assertTrue(stats != null, file.path() + " has statistics of " + column);
        return stats;
    }

    /** Sets the live setting and waits until the coordinator (which plans splits) applies it. */
    private void setSplitTargetSize(long bytes) throws InterruptedException {
        runner.execute(
                session, "CALL zkarrow.system.set_config('split_target_size', '" + bytes + "B')");
        String coordinator =
                runner.getCoordinator().getPluginNodeManager().getCurrentNode().getNodeIdentifier();
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            MaterializedResult applied =
                    runner.execute(
                            session,
                            "SELECT value FROM zkarrow.system.config WHERE key ="
                                    + " 'split_target_size' AND node_id = '"
                                    + coordinator
                                    + "'");
            if (applied.getRowCount() == 1 && (bytes + "B").equals(applied.getOnlyValue())) {
                return;
            }
            assertTrue(
                    System.currentTimeMillis() < deadline,
                    "the coordinator did not apply split_target_size=" + bytes + "B: " + applied);
            Thread.sleep(50);
        }
    }

    /** The result of {@code sql} and what its table scans did. */
    private Scan scan(String sql) {
        ResultWithQueryId<MaterializedResult> result = runner.executeWithQueryId(session, sql);
        QueryInfo info = finalQueryInfo(result.getQueryId());
        long rows = 0;
        long splits = 0;
        List<String> scans = new ArrayList<>();
        for (OperatorStats operator : info.getQueryStats().getOperatorSummaries()) {
            String type = operator.getOperatorType();
            if (type.equals("TableScanOperator") || type.equals("ScanFilterAndProjectOperator")) {
                scans.add(type);
                rows += operator.getRawInputPositions();
                splits += operator.getTotalDrivers();
            }
        }
        // a scan whose every file was skipped runs no split, so no scan operator at all
        assertTrue(scans.size() <= 1, "one table scan in " + sql + ": " + scans);
        return new Scan(result.getResult(), rows, splits);
    }

    /** The query's info once it is final (its stats complete). */
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
        final long splits;

        Scan(MaterializedResult result, long rowsRead, long splits) {
            this.result = result;
            this.rowsRead = rowsRead;
            this.splits = splits;
        }

        @Override
        public String toString() {
            List<MaterializedRow> rows = result.getMaterializedRows();
            return rows + " read " + rowsRead + " rows in " + splits + " splits";
        }
    }
}
