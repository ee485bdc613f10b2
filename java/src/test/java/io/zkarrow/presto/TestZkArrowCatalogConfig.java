package io.zkarrow.presto;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.fail;

import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.tests.DistributedQueryRunner;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** Catalog properties and connection errors, through a real Presto runner. */
@Test(singleThreaded = true)
public class TestZkArrowCatalogConfig extends AbstractZkArrowTest {
    private DistributedQueryRunner runner;

    public TestZkArrowCatalogConfig() {
        super("config");
    }

    @BeforeClass
    public void setUp() throws Exception {
        runner = createRunner();
    }

    private Map<String, String> valid() {
        return catalogProperties(null, workDir.resolve("warehouse"));
    }

    @Test
    public void testValidCatalog() {
        runner.createCatalog("zk_valid", "zkarrow", valid());
        assertTrue(
                runner.execute("SHOW SCHEMAS FROM zk_valid")
                        .getOnlyColumnAsSet()
                        .contains("information_schema"));
    }

    @Test
    public void testMissingProperty() {
        Map<String, String> properties = valid();
        properties.remove("zkarrow.zookeeper.connect");
        assertCatalogFails("zk_missing_connect", properties, "zkarrow.zookeeper.connect");
        properties = valid();
        properties.remove("zkarrow.warehouse");
        assertCatalogFails("zk_missing_warehouse", properties, "zkarrow.warehouse");
    }

    @Test
    public void testUnknownProperty() {
        Map<String, String> properties = valid();
        properties.put("zkarrow.zookeeper.conect", "localhost:2181");
        assertCatalogFails("zk_unknown", properties, "zkarrow.zookeeper.conect");
    }

    @Test
    public void testInvalidProperties() {
        Map<String, String> properties = valid();
        properties.put("zkarrow.zookeeper.root", "zkarrow/relative");
        assertCatalogFails("zk_bad_root", properties, "zkarrow.zookeeper.root");
        properties = valid();
        properties.put("zkarrow.zookeeper.session-timeout", "thirty seconds");
        assertCatalogFails("zk_bad_timeout", properties, "zkarrow.zookeeper.session-timeout");
        properties = valid();
        properties.put("zkarrow.warehouse", "relative/dir");
        assertCatalogFails("zk_bad_warehouse", properties, "zkarrow.warehouse");
    }

    @Test
    public void testInvalidSecurityProperties() {
        // validated natively: the error still names the property
        Map<String, String> properties = valid();
        properties.put("zkarrow.zookeeper.acl", "world:anyone:r");
        assertCatalogFails("zk_bad_acl", properties, "zkarrow.zookeeper.acl");
        properties = valid();
        properties.put("zkarrow.zookeeper.acl", "creator-all");
        assertCatalogFails("zk_acl_without_identity", properties, "zkarrow.zookeeper.auth");
        properties = valid();
        properties.put("zkarrow.zookeeper.tls.enabled", "true");
        assertCatalogFails("zk_tls_without_trust", properties, "zkarrow.zookeeper.tls.trust-store");
        properties = valid();
        properties.put("zkarrow.zookeeper.tls.enabled", "true");
        properties.put(
                "zkarrow.zookeeper.tls.trust-store", workDir.resolve("missing-ca.pem").toString());
        assertCatalogFails("zk_tls_missing_trust", properties, "zkarrow.zookeeper.tls.trust-store");
        properties = valid();
        properties.put("zkarrow.zookeeper.sasl.username", "bob");
        assertCatalogFails(
                "zk_sasl_without_password", properties, "zkarrow.zookeeper.sasl.password");
        properties = valid();
        properties.put("zkarrow.zookeeper.sasl.username", "bob");
        properties.put("zkarrow.zookeeper.sasl.password", "pw");
        properties.put("zkarrow.zookeeper.sasl.mechanism", "GSSAPI");
        assertCatalogFails("zk_sasl_gssapi", properties, "zkarrow.zookeeper.sasl.mechanism");
        properties = valid();
        properties.put("zkarrow.allowed-locations", "relative/dir");
        assertCatalogFails("zk_bad_locations", properties, "zkarrow.allowed-locations");
        properties = valid();
        properties.put("zkarrow.gc-min-grace", "soon");
        assertCatalogFails("zk_bad_grace", properties, "zkarrow.gc-min-grace");
    }

    @Test
    public void testCatalogWithCredentials() {
        // its own parent: the ancestors zkarrow creates get the catalog's ACL too
        Map<String, String> properties =
                catalogProperties("/secured/config", workDir.resolve("warehouse-secured"));
        properties.put("zkarrow.zookeeper.auth", "digest:presto:config-secret");
        properties.put("zkarrow.allowed-locations", workDir.toString());
        properties.put("zkarrow.gc-min-grace", "2h");
        runner.createCatalog("zk_secured", "zkarrow", properties);
        assertTrue(
                runner.execute("SHOW SCHEMAS FROM zk_secured")
                        .getOnlyColumnAsSet()
                        .contains("information_schema"));
    }

    @Test(timeOut = 120_000)
    public void testUnreachableZooKeeperIsAnErrorNotAHang() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> properties = valid();
        properties.put("zkarrow.zookeeper.connect", "127.0.0.1:" + port);
        properties.put("zkarrow.zookeeper.connect-timeout", "2s");
        long start = System.nanoTime();
        try {
            runner.createCatalog("zk_unreachable", "zkarrow", properties);
            fail("a catalog whose ZooKeeper is unreachable should not be created");
        } catch (RuntimeException e) {
            String message = ZkArrowTestSupport.messages(e);
            PrestoException prestoException = prestoException(e);
            assertTrue(
                    prestoException != null
                            && prestoException
                                    .getErrorCode()
                                    .equals(ZkArrowErrorCode.ZOOKEEPER_UNAVAILABLE.toErrorCode()),
                    "expected ZKARROW_ZOOKEEPER_UNAVAILABLE: " + message);
            assertTrue(
                    message.contains("127.0.0.1:" + port),
                    "the message should name the connect string: " + message);
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 60, "giving up took " + seconds + "s");
    }

    private void assertCatalogFails(
            String catalog, Map<String, String> properties, String property) {
        try {
            runner.createCatalog(catalog, "zkarrow", new HashMap<>(properties));
            fail("catalog " + catalog + " should not be created: " + properties);
        } catch (RuntimeException e) {
            String message = ZkArrowTestSupport.messages(e);
            PrestoException prestoException = prestoException(e);
            assertTrue(
                    prestoException != null
                            && prestoException
                                    .getErrorCode()
                                    .equals(ZkArrowErrorCode.INVALID_CONFIG.toErrorCode()),
                    "expected ZKARROW_INVALID_CONFIG: " + message);
            assertTrue(
                    message.contains(property),
                    "the message should name " + property + ": " + message);
        }
    }

    private static PrestoException prestoException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PrestoException) {
                return (PrestoException) t;
            }
        }
        return null;
    }
}
