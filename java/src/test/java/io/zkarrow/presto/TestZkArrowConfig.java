package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.zkarrow.presto.protocol.NodeInfo;

import org.testng.annotations.Test;

import java.util.HashMap;
import java.util.Map;

/**
 * What is left of the catalog file in Java: the properties go to {@code NativeCatalog.open} as
 * given (the native library parses them: rust/core/src/config.rs, {@code from_properties} and its
 * tests), and the config's string form shows no values.
 */
public class TestZkArrowConfig {
    private static Map<String, String> minimal() {
        Map<String, String> properties = new HashMap<>();
        properties.put("zkarrow.zookeeper.connect", "zk1:2181,zk2:2181");
        properties.put("zkarrow.warehouse", "/data/warehouse");
        return properties;
    }

    @Test
    public void testOpenDocument() {
        Map<String, String> properties = minimal();
        properties.put("zkarrow.metadata-cache-ttl", " 5m ");
        // not parsed in Java: even an unknown property goes through, for the native side to refuse
        properties.put("zkarrow.zookeper.root", "/x");
        ZkArrowConfig config = new ZkArrowConfig("lake", properties);
        assertEquals(config.getCatalogName(), "lake");
        assertEquals(
                config.toNativeJson(null),
                "{\"catalog\":\"lake\",\"properties\":{\"zkarrow.metadata-cache-ttl\":\" 5m"
                    + " \",\"zkarrow.warehouse\":\"/data/warehouse\",\"zkarrow.zookeeper.connect\":\"zk1:2181,zk2:2181\",\"zkarrow.zookeper.root\":\"/x\"}}");
        // a copy: later changes to the map do not reach it
        properties.put("zkarrow.read-only", "true");
        assertTrue(!config.toNativeJson(null).contains("read-only"));

        NodeInfo node = new NodeInfo("n1", null, null, null, null, null, true);
        assertTrue(
                new ZkArrowConfig("lake", minimal())
                        .toNativeJson(node)
                        .endsWith(",\"node\":{\"node_id\":\"n1\",\"coordinator\":true}}"));
    }

    @Test
    public void testToStringShowsNoSecrets() {
        Map<String, String> properties = minimal();
        properties.put("zkarrow.zookeeper.auth", "digest:alice:s3cret");
        properties.put("zkarrow.zookeeper.sasl.username", "bob");
        properties.put("zkarrow.zookeeper.sasl.password", "pa55");
        ZkArrowConfig config = new ZkArrowConfig("lake", properties);
        String text = config.toString();
        assertTrue(!text.contains("s3cret") && !text.contains("pa55"), text);
        assertTrue(text.contains("lake") && text.contains("zkarrow.zookeeper.auth"), text);
        assertTrue(config.toNativeJson(null).contains("s3cret"));
    }
}
