package io.zkarrow.presto;

import com.facebook.presto.spi.PrestoException;
import org.testng.annotations.Test;

import java.util.HashMap;
import java.util.Map;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

public class TestZkArrowConfig
{
    private static Map<String, String> minimal()
    {
        Map<String, String> properties = new HashMap<>();
        properties.put("zkarrow.zookeeper.connect", "zk1:2181,zk2:2181");
        properties.put("zkarrow.warehouse", "/data/warehouse");
        return properties;
    }

    @Test
    public void testDefaults()
    {
        ZkArrowConfig config = ZkArrowConfig.parse("lake", minimal());
        assertEquals(config.getConnect(), "zk1:2181,zk2:2181");
        assertEquals(config.getRoot(), "/zkarrow/lake");
        assertEquals(config.getSessionTimeoutMillis(), 30_000);
        assertEquals(config.getConnectTimeoutMillis(), 10_000);
        assertEquals(config.getWarehouse(), "/data/warehouse");
        assertEquals(config.toNativeJson(),
                "{\"catalog\":\"lake\",\"connect\":\"zk1:2181,zk2:2181\",\"root\":\"/zkarrow/lake\",\"session_timeout_ms\":30000,\"connect_timeout_ms\":10000,\"warehouse\":\"/data/warehouse\"}");
    }

    @Test
    public void testExplicit()
    {
        Map<String, String> properties = minimal();
        properties.put("zkarrow.zookeeper.root", "/teams/a");
        properties.put("zkarrow.zookeeper.session-timeout", "1m");
        properties.put("zkarrow.zookeeper.connect-timeout", "1500ms");
        ZkArrowConfig config = ZkArrowConfig.parse("lake", properties);
        assertEquals(config.getRoot(), "/teams/a");
        assertEquals(config.getSessionTimeoutMillis(), 60_000);
        assertEquals(config.getConnectTimeoutMillis(), 1_500);
        properties.put("zkarrow.zookeeper.session-timeout", "2.5s");
        assertEquals(ZkArrowConfig.parse("lake", properties).getSessionTimeoutMillis(), 2_500);
    }

    @Test
    public void testDynamicSettingDefaults()
    {
        Map<String, String> properties = minimal();
        properties.put("zkarrow.split-target-size", "32MB");
        properties.put("zkarrow.lock-wait-timeout", "45s");
        properties.put("zkarrow.metadata-cache-ttl", " 5m ");
        properties.put("zkarrow.read-only", "true");
        properties.put("zkarrow.default-compression", "lz4");
        ZkArrowConfig config = ZkArrowConfig.parse("lake", properties);
        assertEquals(config.getSettings().toString(), "{split_target_size=32MB, lock_wait_timeout=45s, metadata_cache_ttl=5m, read_only=true, default_compression=lz4}");
        assertEquals(config.toNativeJson(),
                "{\"catalog\":\"lake\",\"connect\":\"zk1:2181,zk2:2181\",\"root\":\"/zkarrow/lake\",\"session_timeout_ms\":30000,\"connect_timeout_ms\":10000,\"warehouse\":\"/data/warehouse\","
                        + "\"settings\":{\"split_target_size\":\"32MB\",\"lock_wait_timeout\":\"45s\",\"metadata_cache_ttl\":\"5m\",\"read_only\":\"true\",\"default_compression\":\"lz4\"}}");
        // the values are validated natively (TestZkArrowSystemTables); Java passes them through
        properties.put("zkarrow.read-only", "maybe");
        assertEquals(ZkArrowConfig.parse("lake", properties).getSettings().get("read_only"), "maybe");

        Map<String, Object> node = new java.util.LinkedHashMap<>();
        node.put("node_id", "n1");
        node.put("coordinator", true);
        assertTrue(ZkArrowConfig.parse("lake", minimal()).toNativeJson(node).endsWith(",\"node\":{\"node_id\":\"n1\",\"coordinator\":true}}"));
    }

    @Test
    public void testErrors()
    {
        assertInvalid(without("zkarrow.zookeeper.connect"), "Missing required catalog property zkarrow.zookeeper.connect");
        assertInvalid(without("zkarrow.warehouse"), "Missing required catalog property zkarrow.warehouse");
        assertInvalid(with("zkarrow.zookeper.root", "/x"), "Unknown zkarrow catalog property zkarrow.zookeper.root");
        assertInvalid(with("connector.name", "zkarrow"), "connector.name");
        // a misspelt dynamic setting is unknown, and the message lists the real ones
        assertInvalid(with("zkarrow.split_target_size", "64MB"), "zkarrow.split-target-size");
        assertInvalid(with("zkarrow.readonly", "true"), "Unknown zkarrow catalog property zkarrow.readonly");
        assertInvalid(with("zkarrow.zookeeper.root", "zkarrow"), "zkarrow.zookeeper.root");
        assertInvalid(with("zkarrow.zookeeper.root", "/zkarrow/"), "zkarrow.zookeeper.root");
        assertInvalid(with("zkarrow.zookeeper.session-timeout", "30"), "zkarrow.zookeeper.session-timeout");
        assertInvalid(with("zkarrow.zookeeper.connect-timeout", "0s"), "zkarrow.zookeeper.connect-timeout");
        assertInvalid(with("zkarrow.warehouse", "warehouse"), "zkarrow.warehouse");
        assertInvalid(with("zkarrow.zookeeper.connect", "zk1:2181, zk2:2181"), "zkarrow.zookeeper.connect");
    }

    private static Map<String, String> without(String name)
    {
        Map<String, String> properties = minimal();
        properties.remove(name);
        return properties;
    }

    private static Map<String, String> with(String name, String value)
    {
        Map<String, String> properties = minimal();
        properties.put(name, value);
        return properties;
    }

    private static void assertInvalid(Map<String, String> properties, String messagePart)
    {
        PrestoException e = expectThrows(PrestoException.class, () -> ZkArrowConfig.parse("lake", properties));
        assertEquals(e.getErrorCode(), ZkArrowErrorCode.INVALID_CONFIG.toErrorCode());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
