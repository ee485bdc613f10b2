package io.zkarrow.presto;

import com.facebook.presto.tests.DistributedQueryRunner;

import io.zkarrow.presto.nativelib.NativeCatalog;
import io.zkarrow.presto.protocol.ZkArrowClient;

import org.apache.curator.test.TestingServer;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Base of the integration tests: owns a real ZooKeeper (Curator's TestingServer), a fresh work
 * directory, and the runners and other resources a test class opens; all are closed after the
 * class, newest first, then ZooKeeper is stopped and the work directory deleted.
 */
public abstract class AbstractZkArrowTest {
    private final String workDirPrefix;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    protected TestingServer zookeeper;
    protected Path workDir;

    protected AbstractZkArrowTest(String workDirPrefix) {
        this.workDirPrefix = workDirPrefix;
    }

    /** Runs before the subclass's own {@code @BeforeClass} methods. */
    @BeforeClass
    public void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(true);
        workDir = ZkArrowTestSupport.newWorkDir(workDirPrefix);
    }

    /** Runs after the subclass's own {@code @AfterClass} methods. */
    @AfterClass(alwaysRun = true)
    public void closeZooKeeper() throws Exception {
        Exception failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (zookeeper != null) {
            zookeeper.close();
            zookeeper = null;
        }
        ZkArrowTestSupport.deleteRecursively(workDir);
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes {@code resource} after the class, before everything opened earlier. */
    protected <T extends AutoCloseable> T closeAfterClass(T resource) {
        resources.push(resource);
        return resource;
    }

    /** {@link ZkArrowTestSupport#catalogProperties} for this class's ZooKeeper. */
    protected Map<String, String> catalogProperties(String root, Path warehouse) {
        return ZkArrowTestSupport.catalogProperties(zookeeper.getConnectString(), root, warehouse);
    }

    /** A 2-node runner with the plugin installed and no catalog yet, closed after the class. */
    protected DistributedQueryRunner createRunner() throws Exception {
        return closeAfterClass(ZkArrowTestSupport.createRunner());
    }

    /** A 2-node runner with a zkarrow catalog named {@code catalog}, closed after the class. */
    protected DistributedQueryRunner createRunner(String catalog, Map<String, String> properties)
            throws Exception {
        return closeAfterClass(ZkArrowTestSupport.createRunner(catalog, properties));
    }

    /**
     * The native catalog behind a catalog named zkarrow with root {@code root}, closed after the
     * class.
     */
    protected NativeCatalog connectNativeCatalog(String root, Path warehouse) {
        Map<String, String> properties =
                ZkArrowTestSupport.catalogProperties(zookeeper.getConnectString(), root, warehouse);
        return closeAfterClass(
                NativeCatalog.connect(new ZkArrowConfig("zkarrow", properties).toNativeJson(null)));
    }

    /**
     * The typed client over {@code catalog} (closed with it), its types from {@code runner}'s
     * coordinator.
     */
    protected static ZkArrowClient client(NativeCatalog catalog, DistributedQueryRunner runner) {
        return new ZkArrowClient(
                catalog, runner.getCoordinator().getMetadata().getFunctionAndTypeManager());
    }
}
