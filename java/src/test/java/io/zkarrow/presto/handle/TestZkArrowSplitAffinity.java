package io.zkarrow.presto.handle;

import static com.facebook.presto.spi.schedule.NodeSelectionStrategy.NO_PREFERENCE;
import static com.facebook.presto.spi.schedule.NodeSelectionStrategy.SOFT_AFFINITY;

import static org.testng.Assert.assertEquals;

import com.facebook.presto.spi.HostAddress;

import org.testng.annotations.Test;

import java.util.Collections;

public class TestZkArrowSplitAffinity {
    @Test
    public void testPreferredNode() {
        ZkArrowSplit split = new ZkArrowSplit("/d/f.arrow", 0, 3, 100, 10, "10.0.0.7:8080");
        assertEquals(split.getNodeSelectionStrategy(), SOFT_AFFINITY);
        assertEquals(
                split.getPreferredNodes(null),
                Collections.singletonList(HostAddress.fromParts("10.0.0.7", 8080)));
        assertEquals(split.getInfoMap().get("preferredNode"), "10.0.0.7:8080");

        ZkArrowSplit none = new ZkArrowSplit("/d/f.arrow", 0, 3, 100, 10, null);
        assertEquals(none.getNodeSelectionStrategy(), NO_PREFERENCE);
        assertEquals(none.getPreferredNodes(null), Collections.emptyList());
    }
}
