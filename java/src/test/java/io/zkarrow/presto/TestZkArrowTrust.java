package io.zkarrow.presto;

import static io.zkarrow.presto.ZkArrowTestSupport.assertQueryFails;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import com.facebook.presto.Session;
import com.facebook.presto.tests.DistributedQueryRunner;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryOneTime;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Trust issue through SQL on a real 2-node Presto and a real ZooKeeper: DROP deletes only what
 * the table wrote, user paths stay inside zkarrow.allowed-locations, an INSERT never commits into a
 * table re-created under its name, DROP waits for the table lock and names the holder, a dropped
 * column of a registered table never comes back, and orphan removal keeps its grace period.
 */
@Test(singleThreaded = true)
public class TestZkArrowTrust extends AbstractZkArrowTest {
    private static final String ROOT = "/zkarrow/zkarrow";

    private Path warehouse;
    private Path dataDir;
    private DistributedQueryRunner runner;
    private Session session;
    private CuratorFramework curator;

    public TestZkArrowTrust() {
        super("trust");
    }

    @BeforeClass
    public void setUp() throws Exception {
        warehouse = workDir.resolve("warehouse");
        dataDir = ZkArrowTestSupport.writeSampleArrowFiles(workDir.resolve("data"));
        Map<String, String> properties = catalogProperties(null, warehouse);
        properties.put("zkarrow.lock-wait-timeout", "2s");
        runner = createRunner("zkarrow", properties);
        // a second catalog with the default confinement: the warehouse alone
        Map<String, String> confined = catalogProperties("/zkarrow/confined", warehouse);
        confined.remove("zkarrow.allowed-locations");
        runner.createCatalog("confined", "zkarrow", confined);
        session = ZkArrowTestSupport.session("zkarrow", "tr");
        runner.execute("CREATE SCHEMA zkarrow.tr");
        runner.execute("CREATE SCHEMA confined.tr");
        curator =
                closeAfterClass(
                        CuratorFrameworkFactory.newClient(
                                zookeeper.getConnectString(), new RetryOneTime(100)));
        curator.start();
        assertTrue(curator.blockUntilConnected(10, TimeUnit.SECONDS));
    }

    @Test
    public void testDropDeletesOnlyWhatTheTableWrote() throws Exception {
        Path used = workDir.resolve("used");
        Files.createDirectories(used);
        Files.write(used.resolve("keep.txt"), "not zkarrow's".getBytes(StandardCharsets.UTF_8));
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE t1 (x bigint) WITH (location = '" + used + "')",
                "ZKARROW_LOCATION_IN_USE",
                "not empty");
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE t1 (x bigint) WITH (location = '/')",
                "ZKARROW_LOCATION_NOT_ALLOWED",
                "zkarrow.allowed-locations");
        assertTrue(Files.exists(used.resolve("keep.txt")));

        Path mine = workDir.resolve("mine");
        runner.execute(session, "CREATE TABLE t1 (x bigint) WITH (location = '" + mine + "')");
        runner.execute(session, "INSERT INTO t1 VALUES 1, 2, 3");
        assertQueryFails(
                runner,
                session,
                "CREATE TABLE t2 (x bigint) WITH (location = '" + mine.resolve("inner") + "')",
                "ZKARROW_LOCATION_IN_USE",
                "another table");
        Files.write(
                mine.resolve("data").resolve("foreign.arrow"),
                "someone else's".getBytes(StandardCharsets.UTF_8));
        Files.write(mine.resolve("notes.txt"), "someone else's".getBytes(StandardCharsets.UTF_8));

        runner.execute(session, "DROP TABLE t1");
        assertTrue(
                Files.exists(mine.resolve("data").resolve("foreign.arrow")),
                "a file zkarrow never wrote survives DROP");
        assertTrue(Files.exists(mine.resolve("notes.txt")));
        try (Stream<Path> left = Files.list(mine.resolve("data"))) {
            assertEquals(left.count(), 1L, "only the foreign file is left in the data directory");
        }
    }

    @Test
    public void testPathsOutsideTheAllowedLocationsAreRefused() {
        Session confined = ZkArrowTestSupport.session("confined", "tr");
        assertQueryFails(
                runner,
                confined,
                "CALL confined.system.register_table('tr', 'peek', '"
                        + dataDir.resolve("simple.arrow")
                        + "')",
                "ZKARROW_LOCATION_NOT_ALLOWED",
                "zkarrow.allowed-locations");
        assertQueryFails(
                runner,
                confined,
                "CALL confined.system.register_table('tr', 'peek', '"
                        + warehouse
                        + "/../data/simple.arrow')",
                "ZKARROW_LOCATION_NOT_ALLOWED",
                "zkarrow.allowed-locations");
        assertQueryFails(
                runner,
                confined,
                "CREATE TABLE elsewhere (x bigint) WITH (location = '"
                        + workDir.resolve("elsewhere")
                        + "')",
                "ZKARROW_LOCATION_NOT_ALLOWED",
                "zkarrow.allowed-locations");
        // the other catalog allows the work directory
        runner.execute(
                "CALL zkarrow.system.register_table('tr', 'peek', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        assertEquals(runner.execute(session, "SELECT count(*) FROM peek").getOnlyValue(), 10L);
    }

    /**
     * While an INSERT waits for the table lock (held by Curator), another client moves the table
     * away and puts a different table under its name: the INSERT fails with a conflict instead of
     * writing into the new table.
     */
    @Test
    public void testInsertNeverCommitsIntoATableRecreatedUnderItsName() throws Exception {
        runner.execute(session, "CREATE TABLE moving (v bigint)");
        runner.execute(session, "CREATE TABLE newcomer (v double)");
        String lockPath = ROOT + "/locks/tr/moving";
        InterProcessMutex mutex = new InterProcessMutex(curator, lockPath);
        assertTrue(mutex.acquire(10, TimeUnit.SECONDS));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            // this INSERT must outwait the Curator holder: a live setting, applied by every node
            // within a second
            runner.execute("CALL zkarrow.system.set_config('lock_wait_timeout', '60s')");
            Thread.sleep(1500);
            Future<?> insert =
                    executor.submit(() -> runner.execute(session, "INSERT INTO moving VALUES 42"));
            long deadline = System.currentTimeMillis() + 30_000;
            while (curator.getChildren().forPath(lockPath).size() < 2
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(
                    curator.getChildren().forPath(lockPath).size(),
                    2,
                    "the INSERT waits for the lock");
            // another client (not zkarrow, so not under the lock) swaps the records
            String tables = ROOT + "/schemas/tr/";
            byte[] moving = curator.getData().forPath(tables + "moving");
            byte[] newcomer = curator.getData().forPath(tables + "newcomer");
            curator.delete().forPath(tables + "moving");
            curator.create().forPath(tables + "moving", newcomer);
            mutex.release();
            try {
                insert.get(60, TimeUnit.SECONDS);
                fail("the INSERT must not commit into the table that took its name");
            } catch (java.util.concurrent.ExecutionException e) {
                String message = ZkArrowTestSupport.messages(e);
                assertTrue(
                        message.contains("re-created") && message.contains("nothing was committed"),
                        message);
            }
            assertEquals(
                    runner.execute(session, "SELECT count(*) FROM newcomer").getOnlyValue(), 0L);
            curator.setData().forPath(tables + "moving", moving);
        } finally {
            if (mutex.isAcquiredInThisProcess()) {
                mutex.release();
            }
            executor.shutdownNow();
            runner.execute("CALL zkarrow.system.set_config('lock_wait_timeout', '2s')");
            Thread.sleep(1500);
        }
    }

    @Test
    public void testDropWaitsForTheTableLockAndNamesItsHolder() throws Exception {
        runner.execute(session, "CREATE TABLE guarded (x bigint)");
        InterProcessMutex mutex = new InterProcessMutex(curator, ROOT + "/locks/tr/guarded");
        assertTrue(mutex.acquire(10, TimeUnit.SECONDS));
        try {
            assertQueryFails(
                    runner,
                    session,
                    "DROP TABLE guarded",
                    "ZKARROW_LOCK_TIMEOUT",
                    "another client (not zkarrow");
            assertQueryFails(
                    runner,
                    session,
                    "ALTER TABLE guarded RENAME TO guarded2",
                    "ZKARROW_LOCK_TIMEOUT",
                    " ago)");
        } finally {
            mutex.release();
        }
        runner.execute(session, "DROP TABLE guarded");
        assertFalse(runner.tableExists(session, "guarded"));
    }

    @Test
    public void testDroppedColumnOfARegisteredTableNeverReappears() {
        runner.execute(
                "CALL zkarrow.system.register_table('tr', 'reg', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        assertEquals(runner.execute(session, "SELECT count(score) FROM reg").getOnlyValue(), 10L);
        runner.execute(session, "ALTER TABLE reg DROP COLUMN score");
        runner.execute(session, "ALTER TABLE reg ADD COLUMN score double");
        assertEquals(
                runner.execute(session, "SELECT count(score), count(*) FROM reg")
                        .getMaterializedRows()
                        .get(0)
                        .getFields(),
                java.util.Arrays.asList(0L, 10L));
    }

    @Test
    public void testOrphanRemovalKeepsItsGracePeriod() {
        runner.execute(session, "CREATE TABLE gc (x bigint)");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.remove_orphan_files('tr', 'gc', '0s', false)",
                "ZKARROW_INVALID_ARGUMENT",
                "zkarrow.gc-min-grace");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.remove_orphan_files('tr', 'gc', '30m', false)",
                "ZKARROW_INVALID_ARGUMENT",
                "zkarrow.gc-min-grace");
        runner.execute(session, "CALL zkarrow.system.remove_orphan_files('tr', 'gc', '2h', false)");
    }
}
