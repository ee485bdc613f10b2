package io.zkarrow.presto.handle;

import static org.testng.Assert.assertEquals;

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
}
