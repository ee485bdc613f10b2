package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;
import static org.testng.Assert.fail;

import com.facebook.presto.tests.DistributedQueryRunner;

import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A catalog with {@code zkarrow.zookeeper.auth}: SQL works through it, its znodes get creator-all
 * and world-read ACLs, and neither an unauthenticated client nor a catalog with other credentials
 * can change them.
 */
@Test(singleThreaded = true)
public class TestZkArrowSecureZooKeeper extends AbstractZkArrowTest {
    private static final String ROOT = "/zkarrow/secured";
    private static final String SECRET = "presto-secret";

    private DistributedQueryRunner runner;

    public TestZkArrowSecureZooKeeper() {
        super("secure");
    }

    @BeforeClass
    public void setUp() throws Exception {
        Map<String, String> properties = catalogProperties(ROOT, workDir.resolve("warehouse"));
        properties.put("zkarrow.zookeeper.auth", "digest:presto:" + SECRET);
        runner = createRunner("zkarrow", properties);
    }

    @Test
    public void testSqlWorksAndZnodesAreProtected() throws Exception {
        runner.execute("CREATE SCHEMA zkarrow.sec");
        runner.execute("CREATE TABLE zkarrow.sec.orders (id bigint, customer varchar)");
        runner.execute("INSERT INTO zkarrow.sec.orders VALUES (1, 'ada'), (2, 'grace')");
        assertEquals(runner.execute("SELECT sum(id) FROM zkarrow.sec.orders").getOnlyValue(), 3L);

        String table = ROOT + "/schemas/sec/orders";
        try (ZooKeeper anonymous = connect()) {
            Stat stat = new Stat();
            byte[] record = anonymous.getData(table, false, stat);
            assertTrue(new String(record, StandardCharsets.UTF_8).contains("\"location\""));
            expectThrows(
                    KeeperException.NoAuthException.class,
                    () ->
                            anonymous.setData(
                                    table,
                                    "{\"location\":\"/tmp/evil\"}".getBytes(StandardCharsets.UTF_8),
                                    -1));
            expectThrows(KeeperException.NoAuthException.class, () -> anonymous.delete(table, -1));
            expectThrows(
                    KeeperException.NoAuthException.class,
                    () ->
                            anonymous.setData(
                                    ROOT + "/schemas/sec",
                                    "{}".getBytes(StandardCharsets.UTF_8),
                                    -1));
            expectThrows(
                    KeeperException.NoAuthException.class,
                    () ->
                            anonymous.create(
                                    ROOT + "/schemas/sec/evil",
                                    new byte[0],
                                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                                    org.apache.zookeeper.CreateMode.PERSISTENT));
            expectThrows(
                    KeeperException.NoAuthException.class,
                    () -> anonymous.setACL(table, ZooDefs.Ids.OPEN_ACL_UNSAFE, -1));

            List<ACL> acls = anonymous.getACL(table, new Stat());
            assertEquals(acls.size(), 2, acls.toString());
            assertTrue(
                    acls.stream()
                            .anyMatch(
                                    acl ->
                                            acl.getId().getScheme().equals("digest")
                                                    && acl.getId().getId().startsWith("presto:")
                                                    && acl.getPerms() == ZooDefs.Perms.ALL),
                    acls.toString());
            assertTrue(
                    acls.stream()
                            .anyMatch(
                                    acl ->
                                            acl.getId().getScheme().equals("world")
                                                    && acl.getPerms() == ZooDefs.Perms.READ),
                    acls.toString());
        }

        // A catalog with other credentials on the same root cannot even register its nodes.
        Map<String, String> properties = catalogProperties(ROOT, workDir.resolve("warehouse"));
        properties.put("zkarrow.zookeeper.auth", "digest:presto:not-the-password");
        try {
            runner.createCatalog("intruder", "zkarrow", properties);
            fail("a catalog with other credentials should not open");
        } catch (RuntimeException e) {
            String message = ZkArrowTestSupport.messages(e);
            assertTrue(
                    message.contains("zkarrow.zookeeper.auth")
                            && message.contains("not authorized"),
                    message);
            assertTrue(!message.contains("not-the-password") && !message.contains(SECRET), message);
        }
        assertEquals(runner.execute("SELECT count(*) FROM zkarrow.sec.orders").getOnlyValue(), 2L);
    }

    private ZooKeeper connect() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client =
                new ZooKeeper(
                        zookeeper.getConnectString(),
                        20_000,
                        event -> {
                            if (event.getState()
                                    == org.apache.zookeeper.Watcher.Event.KeeperState
                                            .SyncConnected) {
                                connected.countDown();
                            }
                        });
        assertTrue(connected.await(20, TimeUnit.SECONDS), "no ZooKeeper connection");
        return client;
    }
}
