package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.Session;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;

import io.zkarrow.presto.nativelib.NativeCatalog;
import io.zkarrow.presto.protocol.Response;
import io.zkarrow.presto.write.ZkArrowWrites;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryOneTime;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Concurrent INSERTs through Presto, and zkarrow's table lock against Apache Curator's
 * InterProcessMutex.
 */
@Test(singleThreaded = true)
public class TestZkArrowConcurrentWrites extends AbstractZkArrowTest {
    private static final String ROOT = "/zkarrow/zkarrow";

    private DistributedQueryRunner runner;
    private Session session;
    private NativeCatalog nativeCatalog;
    private CuratorFramework curator;

    public TestZkArrowConcurrentWrites() {
        super("concurrent");
    }

    @BeforeClass
    public void setUp() throws Exception {
        Path warehouse = workDir.resolve("warehouse");
        runner = createRunner("zkarrow", catalogProperties(null, warehouse));
        session = ZkArrowTestSupport.session("zkarrow", "c");
        runner.execute("CREATE SCHEMA zkarrow.c");
        nativeCatalog = connectNativeCatalog(ROOT, warehouse);
        curator =
                closeAfterClass(
                        CuratorFrameworkFactory.newClient(
                                zookeeper.getConnectString(), new RetryOneTime(100)));
        curator.start();
        assertTrue(curator.blockUntilConnected(10, TimeUnit.SECONDS));
    }

    @Test
    public void testConcurrentInserts() throws Exception {
        runner.execute(session, "CREATE TABLE hot (thread integer, seq integer, label varchar)");
        int threads = 8;
        int perThread = 25;
        AtomicLong retries = new AtomicLong();
        Pattern rebased = Pattern.compile("re-based (\\d+) time");
        Handler counter =
                new Handler() {
                    @Override
                    public void publish(LogRecord record) {
                        Matcher matcher = rebased.matcher(String.valueOf(record.getMessage()));
                        if (matcher.find()) {
                            retries.addAndGet(Long.parseLong(matcher.group(1)));
                        }
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        Logger logger = Logger.getLogger(ZkArrowWrites.class.getName());
        logger.addHandler(counter);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(
                        executor.submit(
                                () -> {
                                    for (int i = 0; i < perThread; i++) {
                                        runner.execute(
                                                session,
                                                "INSERT INTO hot VALUES ("
                                                        + thread
                                                        + ", "
                                                        + i
                                                        + ", 'v-"
                                                        + thread
                                                        + "-"
                                                        + i
                                                        + "')");
                                    }
                                    return null;
                                }));
            }
            for (Future<?> future : futures) {
                future.get(10, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
            logger.removeHandler(counter);
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;

        List<Response.Snapshot> snapshots = client(nativeCatalog, runner).snapshots("c", "hot");
        // the empty table's first snapshot + one per INSERT
        assertEquals(snapshots.size(), 1 + threads * perThread);
        Set<Object> ids = new HashSet<>();
        snapshots.forEach(s -> ids.add(s.snapshotId()));
        assertEquals(ids.size(), snapshots.size(), "distinct snapshot ids");
        assertEquals(snapshots.get(0).totalRows(), (Long) ((long) threads * perThread));

        assertEquals(
                runner.execute(session, "SELECT count(*), count(DISTINCT label) FROM hot")
                        .getMaterializedRows()
                        .get(0)
                        .getFields(),
                java.util.Arrays.asList((long) threads * perThread, (long) threads * perThread));
        for (MaterializedRow row :
                runner.execute(
                                session,
                                "SELECT thread, count(*), min(seq), max(seq), count(DISTINCT seq)"
                                        + " FROM hot GROUP BY thread")
                        .getMaterializedRows()) {
            assertEquals(row.getField(1), (long) perThread);
            assertEquals(row.getField(2), 0);
            assertEquals(row.getField(3), perThread - 1);
            assertEquals(row.getField(4), (long) perThread);
        }
        assertEquals(
                runner.execute(
                                session,
                                "SELECT count(*) FROM hot WHERE label <> 'v-' || CAST(thread AS"
                                        + " varchar) || '-' || CAST(seq AS varchar)")
                        .getOnlyValue(),
                0L);
        String figures =
                String.format(
                        "zkarrow concurrent INSERTs: %d threads x %d = %d commits, %d re-base"
                                + " retries, wall %d ms (%.1f commits/s)%n",
                        threads,
                        perThread,
                        threads * perThread,
                        retries.get(),
                        wallMillis,
                        threads * perThread * 1000.0 / wallMillis);
        System.out.print(figures);
        // also beside the work directories (build/test-work), where it outlives the run
        java.nio.file.Files.write(
                workDir.getParent().resolve("concurrency-figures.txt"),
                figures.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * A Curator InterProcessMutex on zkarrow's lock path holds back a zkarrow INSERT until it is
     * released, and the other way round.
     */
    @Test
    public void testCuratorMutexExcludesInsert() throws Exception {
        runner.execute(session, "CREATE TABLE guarded (x bigint)");
        String lockPath = ROOT + "/locks/c/guarded";
        InterProcessMutex first = new InterProcessMutex(curator, lockPath);
        InterProcessMutex second = new InterProcessMutex(curator, lockPath);
        assertTrue(first.acquire(10, TimeUnit.SECONDS));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            AtomicLong insertDone = new AtomicLong();
            Future<?> insert =
                    executor.submit(
                            () -> {
                                runner.execute(session, "INSERT INTO guarded VALUES 42");
                                insertDone.set(System.currentTimeMillis());
                                return null;
                            });
            // zkarrow queued its lock node behind Curator's
            long deadline = System.currentTimeMillis() + 30_000;
            while (curator.getChildren().forPath(lockPath).size() < 2
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(
                    curator.getChildren().forPath(lockPath).size(),
                    2,
                    "zkarrow waits in the lock queue");
            Thread.sleep(1500);
            assertFalse(insert.isDone(), "the INSERT must wait while Curator holds the table lock");
            assertEquals(
                    runner.execute(session, "SELECT count(*) FROM guarded").getOnlyValue(), 0L);

            // a second Curator mutex queues behind zkarrow's node: it gets the lock only after
            // zkarrow committed
            AtomicLong secondAcquired = new AtomicLong();
            Future<?> waiter =
                    executor.submit(
                            () -> {
                                assertTrue(second.acquire(60, TimeUnit.SECONDS));
                                secondAcquired.set(System.currentTimeMillis());
                                second.release();
                                return null;
                            });
            while (curator.getChildren().forPath(lockPath).size() < 3
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            long released = System.currentTimeMillis();
            first.release();
            insert.get(60, TimeUnit.SECONDS);
            waiter.get(60, TimeUnit.SECONDS);
            assertTrue(
                    insertDone.get() >= released,
                    "the INSERT completed only after Curator released");
            assertEquals(runner.execute(session, "SELECT sum(x) FROM guarded").getOnlyValue(), 42L);
            List<Response.Snapshot> snapshots =
                    client(nativeCatalog, runner).snapshots("c", "guarded");
            long committedAt = snapshots.get(0).committedAtMs();
            assertTrue(committedAt >= released, "committed after the release");
            assertTrue(
                    secondAcquired.get() >= committedAt,
                    "the Curator waiter queued behind zkarrow got the lock only after zkarrow's"
                            + " commit: "
                            + secondAcquired.get()
                            + " < "
                            + committedAt);
            System.out.printf(
                    "zkarrow vs Curator: released %d, zkarrow committed %d, INSERT returned %d,"
                            + " second Curator mutex acquired %d%n",
                    released, committedAt, insertDone.get(), secondAcquired.get());
        } finally {
            if (first.isAcquiredInThisProcess()) {
                first.release();
            }
            executor.shutdownNow();
        }
    }
}
