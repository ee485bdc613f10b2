package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server (tests/s3/s3-server.sh: versitygw) on a free loopback port, serving
 * the files under {@code <dir>/data}; {@link #close} stops it. Objects are plain files under {@link
 * #bucketDir}, so a test can see what reached the store.
 */
final class S3TestServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String accessKey;
    private final String secretKey;

    private S3TestServer(Path dir, int port, String accessKey, String secretKey) {
        this.dir = dir;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Installs the server when it is not built yet, then starts it in {@code dir} with {@code
     * buckets}.
     */
    static S3TestServer start(Path dir, String... buckets) throws Exception {
        run("install");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>(Arrays.asList("start", dir.toString(), "" + port));
        args.addAll(Arrays.asList(buckets));
        run(args.toArray(new String[0]));
        Map<String, String> credentials = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("credentials"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                credentials.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        String access = credentials.get("ZKARROW_S3_ACCESS_KEY");
        String secret = credentials.get("ZKARROW_S3_SECRET_KEY");
        assertTrue(access != null && secret != null, "keys in " + dir.resolve("credentials"));
        return new S3TestServer(dir, port, access, secret);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    String accessKey() {
        return accessKey;
    }

    String secretKey() {
        return secretKey;
    }

    /** The directory holding the objects of {@code bucket} (an object's key is its path). */
    Path bucketDir(String bucket) {
        return dir.resolve("data").resolve(bucket);
    }

    /**
     * The {@code zkarrow.s3.*} properties that reach this server with {@code secretKey}; short
     * timeouts so that a refused request fails fast.
     */
    Map<String, String> catalogProperties(String secretKey) {
        Map<String, String> properties = new HashMap<>();
        properties.put("zkarrow.s3.endpoint", endpoint());
        properties.put("zkarrow.s3.region", "us-east-1");
        properties.put("zkarrow.s3.path-style-access", "true");
        properties.put("zkarrow.s3.aws-access-key", accessKey);
        properties.put("zkarrow.s3.aws-secret-key", secretKey);
        properties.put("zkarrow.s3.request-timeout", "10s");
        properties.put("zkarrow.s3.max-retries", "1");
        return properties;
    }

    @Override
    public void close() throws Exception {
        run("stop", dir.toString());
    }

    /** tests/s3/s3-server.sh of the project: Gradle runs tests in the project directory. */
    private static Path script() {
        for (Path d = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
                d != null;
                d = d.getParent()) {
            Path candidate = d.resolve("tests").resolve("s3").resolve("s3-server.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(
                "no tests/s3/s3-server.sh above " + System.getProperty("user.dir"));
    }

    private static void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Arrays.asList("bash", script().toString()));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // the server itself writes to its own log: this output ends when the script does
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(600, TimeUnit.SECONDS), "s3-server.sh " + args[0] + " hung");
        assertEquals(process.exitValue(), 0, "s3-server.sh " + command + " failed: " + output);
    }
}
