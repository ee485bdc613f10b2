package io.zkarrow.presto;

import static com.facebook.presto.common.type.TimeZoneKey.UTC_KEY;
import static com.facebook.presto.testing.TestingSession.testSessionBuilder;

import com.facebook.presto.Session;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.testing.MaterializedRow;
import com.facebook.presto.tests.DistributedQueryRunner;

import org.apache.curator.test.TestingServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's main job: an embedded ZooKeeper server, a single-node Presto with the zkarrow
 * plugin, a sample dataset registered as demo.trips, the answers of a few queries, and a SQL prompt
 * when a terminal is attached. Usage: ZkArrowDemo WORK_DIR SAMPLE_DATA_DIR
 */
public final class ZkArrowDemo {
    private static final String[] SAMPLE_QUERIES = {
        "SHOW TABLES FROM zkarrow.demo",
        "DESCRIBE zkarrow.demo.trips",
        "SELECT city, count(*) AS trips, sum(fare) AS fares, round(avg(distance_km), 2) AS avg_km "
                + "FROM zkarrow.demo.trips GROUP BY city ORDER BY city",
        "SELECT trip_id, city, fare, pickup_at, tags, driver.name AS driver "
                + "FROM zkarrow.demo.trips WHERE contains(tags, 'night') ORDER BY trip_id LIMIT 5",
        "SELECT day, count(*) AS trips FROM zkarrow.demo.trips GROUP BY day ORDER BY day LIMIT 3",
    };

    private ZkArrowDemo() {}

    public static void main(String[] args) throws Exception {
        // The answers are the output; Presto's own server log would bury them.
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
        Path work = Paths.get(args[0]).toAbsolutePath();
        Path data = Paths.get(args[1]).toAbsolutePath();
        Path warehouse = work.resolve("warehouse");
        Files.createDirectories(warehouse);
        try (TestingServer zookeeper =
                        new TestingServer(-1, work.resolve("zookeeper").toFile(), true);
                DistributedQueryRunner presto =
                        DistributedQueryRunner.builder(
                                        testSessionBuilder()
                                                .setCatalog("zkarrow")
                                                .setSchema("demo")
                                                .setTimeZoneKey(UTC_KEY)
                                                .build())
                                .setNodeCount(1)
                                .build()) {
            presto.installPlugin(new ZkArrowPlugin());
            Map<String, String> catalog = new HashMap<>();
            catalog.put("zkarrow.zookeeper.connect", zookeeper.getConnectString());
            catalog.put("zkarrow.zookeeper.root", "/zkarrow/demo");
            catalog.put("zkarrow.zookeeper.session-timeout", "20s");
            catalog.put("zkarrow.zookeeper.connect-timeout", "5s");
            catalog.put("zkarrow.warehouse", warehouse.toString());
            // the sample data is registered where it lies, so the catalog allows that directory too
            catalog.put("zkarrow.allowed-locations", warehouse + "," + data);
            presto.createCatalog("zkarrow", "zkarrow", catalog);
            System.out.println(
                    "ZooKeeper at "
                            + zookeeper.getConnectString()
                            + ", Presto at "
                            + presto.getCoordinator().getBaseUrl());
            run(presto, "CREATE SCHEMA zkarrow.demo");
            run(presto, "CALL zkarrow.system.register_table('demo', 'trips', '" + data + "')");
            for (String sql : SAMPLE_QUERIES) {
                run(presto, sql);
            }
            if (System.console() != null) {
                prompt(presto);
            }
        }
    }

    private static void prompt(DistributedQueryRunner presto) throws Exception {
        System.out.println(
                "\n"
                        + "SQL prompt (catalog zkarrow, schema demo). End statements with ';', quit"
                        + " with 'quit;' or Ctrl-D.");
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder statement = new StringBuilder();
        while (true) {
            System.out.print(statement.length() == 0 ? "zkarrow> " : "      -> ");
            System.out.flush();
            String line = in.readLine();
            if (line == null) {
                return;
            }
            statement.append(line).append('\n');
            String sql = statement.toString().trim();
            if (!sql.endsWith(";")) {
                continue;
            }
            statement.setLength(0);
            sql = sql.substring(0, sql.length() - 1).trim();
            if (sql.equalsIgnoreCase("quit") || sql.equalsIgnoreCase("exit")) {
                return;
            }
            if (!sql.isEmpty()) {
                run(presto, sql);
            }
        }
    }

    private static void run(DistributedQueryRunner presto, String sql) {
        System.out.println("\nzkarrow> " + sql + ";");
        Session session = presto.getDefaultSession();
        try {
            MaterializedResult result = presto.execute(session, sql);
            print(result);
        } catch (RuntimeException e) {
            System.out.println("Query failed: " + e.getMessage());
        }
    }

    private static void print(MaterializedResult result) {
        // MaterializedResult of the Presto test artifacts (0.296) carries no column names
        List<String> names = new ArrayList<>();
        List<List<String>> cells = new ArrayList<>();
        for (MaterializedRow row : result.getMaterializedRows()) {
            List<String> line = new ArrayList<>();
            for (Object value : row.getFields()) {
                line.add(String.valueOf(value));
            }
            cells.add(line);
        }
        int columns = cells.isEmpty() ? names.size() : cells.get(0).size();
        int[] widths = new int[columns];
        for (int c = 0; c < columns; c++) {
            widths[c] = c < names.size() ? names.get(c).length() : 0;
            for (List<String> line : cells) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        if (!names.isEmpty()) {
            printLine(names, widths);
            StringBuilder rule = new StringBuilder();
            for (int width : widths) {
                rule.append("-".repeat(width)).append("-+-");
            }
            System.out.println(rule.substring(0, Math.max(0, rule.length() - 2)));
        }
        for (List<String> line : cells) {
            printLine(line, widths);
        }
        System.out.println("(" + cells.size() + (cells.size() == 1 ? " row)" : " rows)"));
    }

    private static void printLine(List<String> values, int[] widths) {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            String v = c < values.size() ? values.get(c) : "";
            out.append(v)
                    .append(" ".repeat(widths[c] - v.length()))
                    .append(c + 1 < widths.length ? " | " : "");
        }
        System.out.println(out);
    }
}
