package io.zkarrow.presto;

import static com.facebook.presto.common.type.TimeZoneKey.UTC_KEY;
import static com.facebook.presto.testing.TestingSession.testSessionBuilder;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import com.facebook.presto.Session;
import com.facebook.presto.common.ErrorCode;
import com.facebook.presto.server.BasicQueryInfo;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.tests.DistributedQueryRunner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared pieces of the integration tests: work directories, sample Arrow files, query runners,
 * failures.
 */
final class ZkArrowTestSupport {
    private static final AtomicInteger QUERY_COUNTER = new AtomicInteger();

    private ZkArrowTestSupport() {}

    /** A fresh directory under build/test-work (or the temp directory outside Gradle). */
    static Path newWorkDir(String prefix) throws IOException {
        String base = System.getProperty("zkarrow.test.workdir");
        Path root =
                base == null
                        ? Paths.get(System.getProperty("java.io.tmpdir"), "zkarrow-test-work")
                        : Paths.get(base);
        Path dir =
                root.resolve(prefix + "-" + UUID.randomUUID().toString().substring(0, 8))
                        .toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * Writes simple.arrow and types.arrow (see make_sample_arrow.py) into {@code dir} with pyarrow.
     */
    static Path writeSampleArrowFiles(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path script = dir.resolve("make_sample_arrow.py");
        try (InputStream in =
                ZkArrowTestSupport.class
                        .getClassLoader()
                        .getResourceAsStream("make_sample_arrow.py")) {
            assertNotNull(in, "test resource make_sample_arrow.py");
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Process process =
                new ProcessBuilder("python3", script.toString(), dir.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "make_sample_arrow.py timed out");
        assertEquals(
                process.exitValue(),
                0,
                "make_sample_arrow.py failed (is pyarrow installed?): " + output);
        return dir;
    }

    static Map<String, String> catalogProperties(String connect, String root, Path warehouse) {
        Map<String, String> properties = new HashMap<>();
        properties.put("zkarrow.zookeeper.connect", connect);
        if (root != null) {
            properties.put("zkarrow.zookeeper.root", root);
        }
        properties.put("zkarrow.zookeeper.session-timeout", "20s");
        properties.put("zkarrow.zookeeper.connect-timeout", "5s");
        properties.put("zkarrow.warehouse", warehouse.toString());
        // the tests' Arrow files sit beside the warehouse, in the same work directory
        properties.put("zkarrow.allowed-locations", warehouse.getParent().toString());
        return properties;
    }

    static Session session(String catalog, String schema) {
        return testSessionBuilder()
                .setCatalog(catalog)
                .setSchema(schema)
                .setTimeZoneKey(UTC_KEY)
                .build();
    }

    /** A 2-node runner (coordinator + 1 worker) with the plugin installed and no catalog yet. */
    static DistributedQueryRunner createRunner() throws Exception {
        return createRunner(2);
    }

    /** A runner of {@code nodeCount} nodes with the plugin installed and no catalog yet. */
    static DistributedQueryRunner createRunner(int nodeCount) throws Exception {
        DistributedQueryRunner runner =
                DistributedQueryRunner.builder(session("zkarrow", "default"))
                        .setNodeCount(nodeCount)
                        .build();
        try {
            runner.installPlugin(new ZkArrowPlugin());
            return runner;
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    static DistributedQueryRunner createRunner(String catalog, Map<String, String> properties)
            throws Exception {
        DistributedQueryRunner runner = createRunner();
        try {
            runner.createCatalog(catalog, "zkarrow", properties);
            return runner;
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    static MaterializedResult execute(DistributedQueryRunner runner, String sql) {
        return runner.execute(sql);
    }

    /**
     * Runs {@code sql}, which must fail with the error named {@code errorName} (such as
     * ZKARROW_SCHEMA_NOT_EMPTY) and a message containing {@code messagePart}.
     */
    static void assertQueryFails(
            DistributedQueryRunner runner,
            Session session,
            String sql,
            String errorName,
            String messagePart) {
        // a unique comment lets us find this query's info on the coordinator
        String tagged = sql + " /* zkarrow-test-" + QUERY_COUNTER.incrementAndGet() + " */";
        try {
            runner.execute(session, tagged);
        } catch (RuntimeException e) {
            String message = messages(e);
            ErrorCode code = errorCodeOf(runner, tagged);
            if (errorName != null) {
                assertNotNull(
                        code, "no error code recorded for failed query " + tagged + ": " + message);
                assertEquals(code.getName(), errorName, "error of " + sql + ": " + message);
            }
            if (messagePart != null) {
                assertTrue(
                        message.contains(messagePart),
                        "message of "
                                + sql
                                + " should contain '"
                                + messagePart
                                + "' but was: "
                                + message);
            }
            return;
        }
        fail("Query should have failed with " + errorName + ": " + sql);
    }

    static ErrorCode errorCodeOf(DistributedQueryRunner runner, String sql) {
        // the dispatch manager also knows queries that failed before they ran (analysis errors)
        List<BasicQueryInfo> queries =
                new java.util.ArrayList<>(
                        runner.getCoordinator().getDispatchManager().getQueries());
        queries.addAll(runner.getCoordinator().getQueryManager().getQueries());
        for (BasicQueryInfo query : queries) {
            if (query.getQuery().equals(sql)) {
                return query.getErrorCode();
            }
        }
        return null;
    }

    static String messages(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t.getMessage()).append(" | ");
            if (t.getCause() == t) {
                break;
            }
        }
        return out.toString();
    }

    static void deleteRecursively(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
