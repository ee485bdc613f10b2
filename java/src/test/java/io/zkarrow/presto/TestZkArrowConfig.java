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
    public void testErrors()
    {
        assertInvalid(without("zkarrow.zookeeper.connect"), "Missing required catalog property zkarrow.zookeeper.connect");
        assertInvalid(without("zkarrow.warehouse"), "Missing required catalog property zkarrow.warehouse");
        assertInvalid(with("zkarrow.zookeper.root", "/x"), "Unknown zkarrow catalog property zkarrow.zookeper.root");
        assertInvalid(with("connector.name", "zkarrow"), "connector.name");
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
