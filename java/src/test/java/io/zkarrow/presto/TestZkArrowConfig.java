package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import com.facebook.presto.spi.PrestoException;

import io.zkarrow.presto.protocol.NodeInfo;

import org.testng.annotations.Test;

import java.util.HashMap;
import java.util.Map;

public class TestZkArrowConfig {
    private static Map<String, String> minimal() {
        Map<String, String> properties = new HashMap<>();
        properties.put("zkarrow.zookeeper.connect", "zk1:2181,zk2:2181");
        properties.put("zkarrow.warehouse", "/data/warehouse");
        return properties;
    }

    @Test
    public void testDefaults() {
        ZkArrowConfig config = ZkArrowConfig.parse("lake", minimal());
        assertEquals(config.getConnect(), "zk1:2181,zk2:2181");
        assertEquals(config.getRoot(), "/zkarrow/lake");
        assertEquals(config.getSessionTimeoutMillis(), 30_000);
        assertEquals(config.getConnectTimeoutMillis(), 10_000);
        assertEquals(config.getWarehouse(), "/data/warehouse");
        assertEquals(
                config.toNativeJson(),
                "{\"catalog\":\"lake\",\"connect\":\"zk1:2181,zk2:2181\",\"root\":\"/zkarrow/lake\",\"session_timeout_ms\":30000,\"connect_timeout_ms\":10000,\"warehouse\":\"/data/warehouse\"}");
    }

    @Test
    public void testExplicit() {
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
    public void testDynamicSettingDefaults() {
        Map<String, String> properties = minimal();
        properties.put("zkarrow.split-target-size", "32MB");
        properties.put("zkarrow.lock-wait-timeout", "45s");
        properties.put("zkarrow.metadata-cache-ttl", " 5m ");
        properties.put("zkarrow.read-only", "true");
        properties.put("zkarrow.default-compression", "lz4");
        ZkArrowConfig config = ZkArrowConfig.parse("lake", properties);
        assertEquals(
                config.getSettings().toString(),
                "{split_target_size=32MB, lock_wait_timeout=45s, metadata_cache_ttl=5m,"
                        + " read_only=true, default_compression=lz4}");
        assertEquals(
                config.toNativeJson(),
                "{\"catalog\":\"lake\",\"connect\":\"zk1:2181,zk2:2181\",\"root\":\"/zkarrow/lake\",\"session_timeout_ms\":30000,\"connect_timeout_ms\":10000,\"warehouse\":\"/data/warehouse\","
                    + "\"settings\":{\"split_target_size\":\"32MB\",\"lock_wait_timeout\":\"45s\",\"metadata_cache_ttl\":\"5m\",\"read_only\":\"true\",\"default_compression\":\"lz4\"}}");
        // the values are validated natively (TestZkArrowSystemTables); Java passes them through
        properties.put("zkarrow.read-only", "maybe");
        assertEquals(
                ZkArrowConfig.parse("lake", properties).getSettings().get("read_only"), "maybe");

        NodeInfo node = new NodeInfo("n1", null, null, null, null, null, true);
        assertTrue(
                ZkArrowConfig.parse("lake", minimal())
                        .toNativeJson(node)
                        .endsWith(",\"node\":{\"node_id\":\"n1\",\"coordinator\":true}}"));
    }

    @Test
    public void testLocationsAndGrace() {
        ZkArrowConfig defaults = ZkArrowConfig.parse("lake", minimal());
        assertTrue(defaults.getAllowedLocations().isEmpty());
        assertEquals(defaults.getGcMinGraceMillis(), 3_600_000);
        Map<String, String> properties = minimal();
        properties.put("zkarrow.allowed-locations", " /data/warehouse, /mnt/exports ,");
        properties.put("zkarrow.gc-min-grace", "30m");
        ZkArrowConfig config = ZkArrowConfig.parse("lake", properties);
        assertEquals(config.getAllowedLocations().toString(), "[/data/warehouse, /mnt/exports]");
        assertEquals(config.getGcMinGraceMillis(), 1_800_000);
        assertTrue(
                config.toNativeJson()
                        .endsWith(
                                ",\"allowed_locations\":[\"/data/warehouse\",\"/mnt/exports\"],\"gc_min_grace_ms\":1800000}"),
                config.toNativeJson());
        assertInvalid(
                with("zkarrow.allowed-locations", "/data,relative/dir"),
                "zkarrow.allowed-locations");
        assertInvalid(with("zkarrow.allowed-locations", " , "), "zkarrow.allowed-locations");
        assertInvalid(with("zkarrow.gc-min-grace", "an hour"), "zkarrow.gc-min-grace");
    }

    @Test
    public void testZooKeeperSecurity() {
        Map<String, String> properties = minimal();
        properties.put("zkarrow.zookeeper.auth", "digest:alice:s3cret");
        properties.put("zkarrow.zookeeper.acl", " creator-all ");
        properties.put("zkarrow.zookeeper.sasl.username", "bob");
        properties.put("zkarrow.zookeeper.sasl.password", "pa55");
        properties.put("zkarrow.zookeeper.sasl.mechanism", "DIGEST-MD5");
        properties.put("zkarrow.zookeeper.tls.enabled", "TRUE");
        properties.put("zkarrow.zookeeper.tls.trust-store", "/etc/zk/ca.pem");
        properties.put("zkarrow.zookeeper.tls.key-store", "/etc/zk/client.pem");
        properties.put("zkarrow.zookeeper.tls.hostname-verification", "false");
        ZkArrowConfig config = ZkArrowConfig.parse("lake", properties);
        assertTrue(config.hasZooKeeperCredentials());
        assertTrue(
                config.toNativeJson()
                        .endsWith(
                                ",\"zookeeper_auth\":\"digest:alice:s3cret\",\"zookeeper_acl\":\"creator-all\","
                                    + "\"zookeeper_sasl_mechanism\":\"DIGEST-MD5\",\"zookeeper_sasl_username\":\"bob\",\"zookeeper_sasl_password\":\"pa55\","
                                    + "\"zookeeper_tls_enabled\":true,\"zookeeper_tls_trust_store\":\"/etc/zk/ca.pem\",\"zookeeper_tls_key_store\":\"/etc/zk/client.pem\","
                                    + "\"zookeeper_tls_hostname_verification\":false}"),
                config.toNativeJson());
        assertTrue(
                !config.toString().contains("s3cret") && !config.toString().contains("pa55"),
                config.toString());
        assertTrue(!ZkArrowConfig.parse("lake", minimal()).hasZooKeeperCredentials());

        PrestoException e =
                expectThrows(
                        PrestoException.class,
                        () ->
                                ZkArrowConfig.parse(
                                        "lake", with("zkarrow.zookeeper.auth", "nocolon-s3cret")));
        assertTrue(
                e.getMessage().contains("zkarrow.zookeeper.auth")
                        && !e.getMessage().contains("s3cret"),
                e.getMessage());
        assertInvalid(with("zkarrow.zookeeper.auth", "digest:"), "zkarrow.zookeeper.auth");
        assertInvalid(
                with("zkarrow.zookeeper.tls.enabled", "yes"), "zkarrow.zookeeper.tls.enabled");
        assertInvalid(
                with("zkarrow.zookeeper.tls.trust-store", "ca.pem"),
                "zkarrow.zookeeper.tls.trust-store");
        assertInvalid(
                with("zkarrow.zookeeper.tls.key-store", "client.pem"),
                "zkarrow.zookeeper.tls.key-store");
        assertInvalid(
                with("zkarrow.zookeeper.tls.hostname-verification", "no"),
                "zkarrow.zookeeper.tls.hostname-verification");
        // an unknown property's message lists the security properties
        assertInvalid(
                with("zkarrow.zookeeper.tls.truststore", "/ca.pem"),
                "zkarrow.zookeeper.tls.trust-store");
    }

    @Test
    public void testErrors() {
        assertInvalid(
                without("zkarrow.zookeeper.connect"),
                "Missing required catalog property zkarrow.zookeeper.connect");
        assertInvalid(
                without("zkarrow.warehouse"),
                "Missing required catalog property zkarrow.warehouse");
        assertInvalid(
                with("zkarrow.zookeper.root", "/x"),
                "Unknown zkarrow catalog property zkarrow.zookeper.root");
        assertInvalid(with("connector.name", "zkarrow"), "connector.name");
        // a misspelt dynamic setting is unknown, and the message lists the real ones
        assertInvalid(with("zkarrow.split_target_size", "64MB"), "zkarrow.split-target-size");
        assertInvalid(
                with("zkarrow.readonly", "true"),
                "Unknown zkarrow catalog property zkarrow.readonly");
        assertInvalid(with("zkarrow.zookeeper.root", "zkarrow"), "zkarrow.zookeeper.root");
        assertInvalid(with("zkarrow.zookeeper.root", "/zkarrow/"), "zkarrow.zookeeper.root");
        assertInvalid(
                with("zkarrow.zookeeper.session-timeout", "30"),
                "zkarrow.zookeeper.session-timeout");
        assertInvalid(
                with("zkarrow.zookeeper.connect-timeout", "0s"),
                "zkarrow.zookeeper.connect-timeout");
        assertInvalid(with("zkarrow.warehouse", "warehouse"), "zkarrow.warehouse");
        assertInvalid(
                with("zkarrow.zookeeper.connect", "zk1:2181, zk2:2181"),
                "zkarrow.zookeeper.connect");
    }

    private static Map<String, String> without(String name) {
        Map<String, String> properties = minimal();
        properties.remove(name);
        return properties;
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> properties = minimal();
        properties.put(name, value);
        return properties;
    }

    private static void assertInvalid(Map<String, String> properties, String messagePart) {
        PrestoException e =
                expectThrows(PrestoException.class, () -> ZkArrowConfig.parse("lake", properties));
        assertEquals(e.getErrorCode(), ZkArrowErrorCode.INVALID_CONFIG.toErrorCode());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
