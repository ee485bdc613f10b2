package io.zkarrow.presto.protocol;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class TestJson {
    @Test
    public void testRoundTrip() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("op", "get_table");
        value.put("schema", "s \"quoted\" \\ \n \u0001 w\u00f6rld");
        value.put("n", 12L);
        value.put("none", null);
        value.put("list", Arrays.asList(true, false, 1.5, "x"));
        String json = Json.write(value);
        assertEquals(Json.parse(json), value);
    }

    @Test
    @SuppressWarnings("unchecked")
    public void testParse() {
        Map<String, Object> map =
                Json.parseObject(
                        " {\"table\": {\"snapshot_id\": 9223372036854775807, \"row_count\": -3,"
                            + " \"x\": 1e3, \"s\": \"\\u00e9\\/\"}, \"tables\": [], \"t\": null }"
                            + " ");
        Map<String, Object> table = (Map<String, Object>) map.get("table");
        assertEquals(table.get("row_count"), -3L);
        assertEquals(table.get("x"), 1000.0);
        assertEquals(table.get("s"), "\u00e9/");
        assertEquals(table.get("snapshot_id"), Long.MAX_VALUE);
        // every integer the native side sends fits a Java long; anything else is malformed
        expectThrows(
                IllegalArgumentException.class, () -> Json.parse("{\"n\": 18446744073709551615}"));
        assertEquals((List<?>) map.get("tables"), Arrays.asList());
        assertNull(map.get("t"));
        expectThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": }"));
        expectThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        expectThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        expectThrows(IllegalArgumentException.class, () -> Json.parseObject("[]"));
    }
}
