package io.zkarrow.presto.handle;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertThrows;

import com.facebook.airlift.json.JsonObjectMapperProvider;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.zkarrow.presto.protocol.ColumnDomain;
import io.zkarrow.presto.protocol.ValueRange;

import org.testng.annotations.Test;

import java.util.Arrays;
import java.util.List;

/** The layout handle travels as JSON through Presto's own mapper (airlift's configuration). */
public class TestZkArrowTableLayoutHandle {
    @Test
    public void testRoundTripThroughPrestosMapper() throws Exception {
        ZkArrowTableLayoutHandle handle =
                new ZkArrowTableLayoutHandle(
                        new ZkArrowTableHandle("s", "t", 3L, "id-1"),
                        List.of(1L, 4L),
                        List.of(
                                new ColumnDomain(
                                        1,
                                        false,
                                        List.of(
                                                new ValueRange(100L, true, null, false),
                                                ValueRange.point(250L))),
                                new ColumnDomain(
                                        4,
                                        true,
                                        Arrays.asList(
                                                new ValueRange("a", false, "m", true),
                                                new ValueRange(null, false, 2.5, true),
                                                ValueRange.point(true))),
                                new ColumnDomain(5, false, List.of())));
        ObjectMapper presto = new JsonObjectMapperProvider().get();
        String json = presto.writeValueAsString(handle);
        ZkArrowTableLayoutHandle back = presto.readValue(json, ZkArrowTableLayoutHandle.class);
        assertEquals(back, handle, json);
        assertEquals(back.getDomains().get(0).ranges().get(1).low(), 250L);
        assertEquals(presto.writeValueAsString(back), json);
    }

    /** A pushed-down LIMIT travels with the handle and makes a different handle. */
    @Test
    public void testLimitRoundTripsAndKeepsTheSmallest() throws Exception {
        ZkArrowTableLayoutHandle scan =
                new ZkArrowTableLayoutHandle(
                        new ZkArrowTableHandle("s", "t", 3L, "id-1"), List.of(1L), List.of());
        assertNull(scan.getLimit());
        ZkArrowTableLayoutHandle limited = scan.withLimit(10);
        assertEquals(limited.getLimit(), Long.valueOf(10));
        assertNotEquals(limited, scan);
        assertEquals(limited.withLimit(100), limited, "a larger LIMIT keeps the smaller one");
        assertEquals(limited.withLimit(3).getLimit(), Long.valueOf(3));
        ObjectMapper presto = new JsonObjectMapperProvider().get();
        for (ZkArrowTableLayoutHandle handle : List.of(scan, limited)) {
            String json = presto.writeValueAsString(handle);
            assertEquals(presto.readValue(json, ZkArrowTableLayoutHandle.class), handle, json);
        }
        assertThrows(IllegalArgumentException.class, () -> scan.withLimit(-1));
    }
}
