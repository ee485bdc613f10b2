package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotSame;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.server.PluginInstaller;
import com.facebook.presto.server.PluginManagerUtil;
import com.facebook.presto.spi.CoordinatorPlugin;
import com.facebook.presto.spi.Plugin;
import com.facebook.presto.testing.MaterializedResult;
import com.facebook.presto.tests.DistributedQueryRunner;

import org.apache.curator.test.TestingServer;
import org.testng.annotations.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugin directory that `gradle assemble` builds (build/plugin/zkarrow/), installed the way a
 * Presto server installs plugin/zkarrow/: its jars in Presto's own PluginClassLoader, which shares
 * only Presto's SPI packages, and the Plugin found through META-INF/services. It must be complete
 * on its own.
 */
public class TestPluginDirectory {
    @Test
    public void theAssembledDirectoryLoadsInPrestosPluginClassLoaderAndServesQueries()
            throws Exception {
        File dir = new File(System.getProperty("zkarrow.plugin.dir", "build/plugin/zkarrow"));
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        assertTrue(jars != null && jars.length > 0, "no jars in " + dir + ": run gradle assemble");
        for (File jar : jars) {
            assertFalse(
                    jar.getName().startsWith("presto-spi")
                            || jar.getName().startsWith("presto-common")
                            || jar.getName().startsWith("slice"),
                    "the server provides " + jar.getName() + ": it must not be bundled");
        }
        // Presto's own loader for plugin/<name>/ directories: PluginClassLoader over the
        // directory's jars,
        // sharing only SPI_PACKAGES, plugins found through META-INF/services.
        List<Plugin> found = new ArrayList<>();
        PluginManagerUtil.loadPlugin(
                dir.getAbsolutePath(),
                null,
                PluginManagerUtil.SPI_PACKAGES,
                null,
                null,
                new PluginInstaller() {
                    @Override
                    public void installPlugin(Plugin plugin) {
                        found.add(plugin);
                    }

                    @Override
                    public void installCoordinatorPlugin(CoordinatorPlugin plugin) {
                        throw new AssertionError("zkarrow has no coordinator plugin");
                    }
                },
                PluginManagerUtil.class.getClassLoader());
        assertEquals(
                found.size(),
                1,
                "META-INF/services/com.facebook.presto.spi.Plugin names one plugin");
        Plugin plugin = found.get(0);
        assertEquals(plugin.getClass().getName(), ZkArrowPlugin.class.getName());
        assertNotSame(
                plugin.getClass().getClassLoader(),
                ZkArrowPlugin.class.getClassLoader(),
                "loaded from the directory, not the test classpath");

        Path work = ZkArrowTestSupport.newWorkDir("plugin-dir");
        try (TestingServer zookeeper = new TestingServer(true);
                DistributedQueryRunner runner =
                        DistributedQueryRunner.builder(
                                        ZkArrowTestSupport.session("zkarrow", "default"))
                                .setNodeCount(2)
                                .build()) {
            runner.installPlugin(plugin);
            runner.createCatalog(
                    "zkarrow",
                    "zkarrow",
                    ZkArrowTestSupport.catalogProperties(
                            zookeeper.getConnectString(), null, work.resolve("warehouse")));
            runner.execute("CREATE SCHEMA zkarrow.installed");
            runner.execute(
                    "CREATE TABLE zkarrow.installed.t (id bigint, name varchar, tags"
                            + " array(varchar))");
            runner.execute(
                    "INSERT INTO zkarrow.installed.t VALUES (1, 'one', ARRAY['a']), (2, NULL,"
                            + " ARRAY[]), (3, 'three', NULL)");
            MaterializedResult result =
                    runner.execute(
                            "SELECT id, name, cardinality(tags) FROM zkarrow.installed.t ORDER BY"
                                    + " id");
            assertEquals(result.getMaterializedRows().size(), 3);
            assertEquals(result.getMaterializedRows().get(0).getFields(), List.of(1L, "one", 1L));
            assertEquals(result.getMaterializedRows().get(1).getField(1), null);
            assertEquals(result.getMaterializedRows().get(2).getField(2), null);
        } finally {
            ZkArrowTestSupport.deleteRecursively(work);
        }
    }
}
