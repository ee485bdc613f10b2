package io.zkarrow.presto;

import static io.zkarrow.presto.ZkArrowTestSupport.assertQueryFails;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.Session;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.tests.DistributedQueryRunner;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.file.Path;

/**
 * {@code CALL zkarrow.system.optimize}: many small INSERTs become one file, the rows stay the same
 * (with a dropped and an added column), time travel still reads the old files, bad sizes are
 * refused.
 */
@Test(singleThreaded = true)
public class TestZkArrowOptimize extends AbstractZkArrowTest {
    private DistributedQueryRunner runner;
    private Session session;

    public TestZkArrowOptimize() {
        super("optimize");
    }

    @BeforeClass
    public void setUp() throws Exception {
        Path warehouse = workDir.resolve("warehouse");
        runner = createRunner("zkarrow", catalogProperties(null, warehouse));
        session = ZkArrowTestSupport.session("zkarrow", "o");
        runner.execute("CREATE SCHEMA zkarrow.o");
    }

    private long files(String table) {
        return (Long)
                runner.execute(session, "SELECT count(*) FROM \"" + table + "$files\"")
                        .getOnlyValue();
    }

    private long currentSnapshot(String table) {
        return (Long)
                runner.execute(session, "SELECT max(snapshot_id) FROM \"" + table + "$snapshots\"")
                        .getOnlyValue();
    }

    @Test
    public void testOptimizeCompactsSmallInserts() {
        runner.execute(
                session,
                "CREATE TABLE events (id bigint, name varchar, score double, tags array(varchar))"
                        + " WITH (compression = 'zstd')");
        for (int i = 0; i < 12; i++) {
            runner.execute(
                    session,
                    "INSERT INTO events VALUES ("
                            + i
                            + ", "
                            + (i % 3 == 0 ? "NULL" : "'name-" + i + "'")
                            + ", "
                            + (i * 1.5)
                            + ", ARRAY['t"
                            + i
                            + "', NULL])");
        }
        // schema changes between the small files: the compacted file has the current columns
        runner.execute(session, "ALTER TABLE events DROP COLUMN score");
        runner.execute(session, "ALTER TABLE events ADD COLUMN level integer");
        for (int i = 12; i < 16; i++) {
            runner.execute(
                    session,
                    "INSERT INTO events VALUES (" + i + ", 'late', ARRAY[], " + (i * 10) + ")");
        }
        String select = "SELECT id, name, tags, level FROM events ORDER BY id";
        MaterializedResult before = runner.execute(session, select);
        assertEquals(before.getRowCount(), 16);
        long filesBefore = files("events");
        assertTrue(filesBefore >= 16, filesBefore + " files");
        long base = currentSnapshot("events");

        runner.execute(session, "CALL zkarrow.system.optimize('o', 'events', '128MB')");

        assertEquals(files("events"), 1L);
        assertEquals(
                runner.execute(session, select).getMaterializedRows(),
                before.getMaterializedRows());
        assertEquals(
                runner.execute(
                                session,
                                "SELECT operation FROM \"events$snapshots\" ORDER BY snapshot_id"
                                        + " DESC LIMIT 1")
                        .getOnlyValue(),
                "replace");
        assertEquals(
                runner.execute(session, "SELECT sum(rows) FROM \"events$files\"").getOnlyValue(),
                16L);
        // time travel reads the snapshot before the compaction, from the small files
        assertEquals(
                runner.execute(
                                session,
                                "SELECT count(*) FROM events FOR VERSION AS OF BIGINT '"
                                        + base
                                        + "'")
                        .getOnlyValue(),
                16L);

        // nothing to gain: one file stays one file, no new snapshot
        long compacted = currentSnapshot("events");
        runner.execute(session, "CALL zkarrow.system.optimize('o', 'events')");
        assertEquals(files("events"), 1L);
        assertEquals(currentSnapshot("events"), compacted);

        // inserts after the compaction land beside it, and a size in bytes works as well
        runner.execute(session, "INSERT INTO events VALUES (16, 'after', NULL, 1)");
        runner.execute(session, "INSERT INTO events VALUES (17, 'after', NULL, 2)");
        runner.execute(session, "CALL zkarrow.system.optimize('o', 'events', '1073741824')");
        assertEquals(files("events"), 1L);
        assertEquals(
                runner.execute(session, "SELECT count(*), sum(level) FROM events")
                        .getMaterializedRows()
                        .get(0)
                        .getFields(),
                java.util.Arrays.asList(18L, 543L));
    }

    @Test
    public void testOptimizeRefusesBadArguments() {
        runner.execute(session, "CREATE TABLE small (x bigint)");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.optimize('o', 'small', '12XB')",
                "ZKARROW_INVALID_ARGUMENT",
                "target_file_size");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.optimize('o', 'nosuch', '128MB')",
                "ZKARROW_TABLE_NOT_FOUND",
                "nosuch");
    }
}
