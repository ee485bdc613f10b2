package io.zkarrow.presto.protocol;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.testng.annotations.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The golden documents of the JNI protocol (tests/protocol/*.json, shared with the Rust side's
 * rust/core/tests/protocol.rs): every document is read into the typed classes of this package and
 * written back, and the result must be the same JSON tree (a null member counts as absent). A
 * document without typed classes, or a typed op without a document, fails.
 */
public class TestProtocolDocuments {
    private static final JavaType DATA_FILES =
            Json.mapper().constructType(new TypeReference<List<DataFile>>() {});

    /** tests/protocol of the project: Gradle runs tests in the project directory. */
    public static Path protocolDir() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path at = dir; at != null; at = at.getParent()) {
            Path candidate = at.resolve("tests").resolve("protocol");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no tests/protocol above " + dir);
    }

    private static List<Path> documents() throws IOException {
        try (Stream<Path> files = Files.list(protocolDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static JsonNode readDocument(Path path) throws IOException {
        return Json.readTree(new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
    }

    @Test
    public void everyOperationDocumentRoundTrips() throws IOException {
        Map<Class<?>, String> ops = Request.ops();
        TreeSet<String> documented = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (Path path : documents()) {
            String file = path.getFileName().toString();
            if (file.startsWith("native.") || file.equals("error_codes.json")) {
                continue;
            }
            String op = file.substring(0, file.indexOf('.'));
            JsonNode document = readDocument(path);
            try {
                JsonNode requestJson = member(document, "request", file);
                Request<?> request = Json.mapper().treeToValue(requestJson, Request.class);
                assertEquals(Request.opOf(request), op, file + ": the request's op");
                assertSameTree(
                        Json.mapper().readTree(Json.writeRequest(request)),
                        requestJson,
                        file + " request");
                JsonNode responseJson = member(document, "response", file);
                Object response = Json.mapper().treeToValue(responseJson, request.responseType());
                assertSameTree(
                        Json.mapper().valueToTree(response), responseJson, file + " response");
                documented.add(op);
            } catch (IOException | RuntimeException | AssertionError e) {
                failures.add(file + ": " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        TreeSet<String> typed = new TreeSet<>(ops.values());
        assertEquals(
                documented,
                typed,
                "every op needs typed classes and a golden document: documented only "
                        + difference(documented, typed)
                        + ", typed only "
                        + difference(typed, documented));
    }

    @Test
    public void nativeDocumentsRoundTrip() throws IOException {
        TreeSet<String> seen = new TreeSet<>();
        for (Path path : documents()) {
            String file = path.getFileName().toString();
            if (!file.startsWith("native.")) {
                continue;
            }
            JsonNode document = readDocument(path);
            JsonNode request = member(document, "request", file);
            switch (file) {
                case "native.catalog_open.json":
                    assertRoundTrip(request, Json.mapper().constructType(CatalogOpen.class), file);
                    assertFalse(document.has("response"), file + " has no response");
                    break;
                case "native.reader_open.json":
                    assertRoundTrip(request, Json.mapper().constructType(ScanRequest.class), file);
                    assertFalse(document.has("response"), file + " has no response");
                    break;
                case "native.writer_open.json":
                    assertRoundTrip(request, Json.mapper().constructType(SinkRequest.class), file);
                    // what finish returns
                    assertRoundTrip(member(document, "response", file), DATA_FILES, file);
                    break;
                default:
                    fail(file + ": no typed classes for this native document");
            }
            seen.add(file);
        }
        assertEquals(seen.size(), 3, "native.catalog_open, reader_open and writer_open: " + seen);
    }

    /** Secrets of the catalog file never show in the open document's string form. */
    @Test
    public void catalogOpenHidesSecrets() throws IOException {
        CatalogOpen config =
                Json.mapper()
                        .treeToValue(
                                readDocument(protocolDir().resolve("native.catalog_open.json"))
                                        .get("request"),
                                CatalogOpen.class);
        Map<String, String> properties = new java.util.TreeMap<>(config.properties());
        properties.put("zkarrow.zookeeper.auth", "digest:alice:s3cret");
        properties.put("zkarrow.zookeeper.sasl.username", "bob");
        properties.put("zkarrow.zookeeper.sasl.password", "pa55");
        CatalogOpen secret = new CatalogOpen(config.catalog(), properties, config.node());
        assertFalse(secret.toString().contains("s3cret") || secret.toString().contains("pa55"));
        assertTrue(secret.toString().contains("zkarrow.zookeeper.auth"), secret.toString());
        assertTrue(Json.write(secret).contains("s3cret"));
    }

    private static void assertRoundTrip(JsonNode json, JavaType type, String what)
            throws IOException {
        Object value = Json.mapper().readerFor(type).readValue(json);
        assertSameTree(Json.mapper().valueToTree(value), json, what);
    }

    private static JsonNode member(JsonNode document, String name, String file) {
        JsonNode value = document.get(name);
        assertNotNull(value, file + " has no " + name);
        return value;
    }

    private static void assertSameTree(JsonNode actual, JsonNode expected, String what) {
        JsonNode a = normalize(actual);
        JsonNode e = normalize(expected);
        assertEquals(a, e, what + ": written back as\n" + a + "\nexpected\n" + e);
    }

    /** Null members dropped, every integer a long, every other number a double. */
    static JsonNode normalize(JsonNode node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (node.isObject()) {
            ObjectNode out = nodes.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isNull()) {
                    out.set(field.getKey(), normalize(field.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = nodes.arrayNode();
            node.forEach(element -> out.add(normalize(element)));
            return out;
        }
        if (node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            return value.bitLength() < 64
                    ? nodes.numberNode(value.longValue())
                    : nodes.numberNode(value);
        }
        if (node.isNumber()) {
            return nodes.numberNode(node.doubleValue());
        }
        return node;
    }

    private static TreeSet<String> difference(TreeSet<String> a, TreeSet<String> b) {
        TreeSet<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
