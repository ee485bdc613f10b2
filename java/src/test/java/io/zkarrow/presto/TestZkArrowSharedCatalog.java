package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.Session;
import com.facebook.presto.tests.DistributedQueryRunner;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.nio.file.Path;
import java.util.Map;

/** Two Presto clusters, and two catalogs of one cluster, on one ZooKeeper root see one catalog. */
@Test(singleThreaded = true)
public class TestZkArrowSharedCatalog extends AbstractZkArrowTest {
    private static final String ROOT = "/zkarrow/shared";

    private Path dataDir;
    private DistributedQueryRunner first;
    private DistributedQueryRunner second;

    public TestZkArrowSharedCatalog() {
        super("shared");
    }

    @BeforeClass
    public void setUp() throws Exception {
        dataDir = ZkArrowTestSupport.writeSampleArrowFiles(workDir.resolve("data"));
        Map<String, String> properties = catalogProperties(ROOT, workDir.resolve("warehouse"));
        first = createRunner("zkarrow", properties);
        first.createCatalog("zkarrow_alias", "zkarrow", properties);
        second = createRunner("lake", properties);
    }

    @Test
    public void testBothClustersSeeOneCatalog() {
        first.execute("CREATE SCHEMA zkarrow.shared_s");
        assertTrue(
                second.execute("SHOW SCHEMAS FROM lake").getOnlyColumnAsSet().contains("shared_s"));
        assertTrue(
                first.execute("SHOW SCHEMAS FROM zkarrow_alias")
                        .getOnlyColumnAsSet()
                        .contains("shared_s"));

        second.execute(
                "CALL lake.system.register_table('shared_s', 'simple', '"
                        + dataDir.resolve("simple.arrow")
                        + "')");
        assertEquals(
                first.execute("SELECT sum(id) FROM zkarrow.shared_s.simple").getOnlyValue(), 55L);
        assertEquals(
                first.execute("SELECT count(*) FROM zkarrow_alias.shared_s.simple").getOnlyValue(),
                10L);
        assertEquals(
                second.execute("SELECT count(*) FROM lake.shared_s.simple").getOnlyValue(), 10L);
        // one query reading both catalogs of the same root
        assertEquals(
                first.execute(
                                "SELECT count(*) FROM zkarrow.shared_s.simple a JOIN"
                                        + " zkarrow_alias.shared_s.simple b ON a.id = b.id")
                        .getOnlyValue(),
                10L);

        first.execute("CALL zkarrow.system.unregister_table('shared_s', 'simple')");
        assertFalse(
                second.execute("SHOW TABLES FROM lake.shared_s")
                        .getOnlyColumnAsSet()
                        .contains("simple"));
        second.execute("DROP SCHEMA lake.shared_s");
        assertFalse(
                first.execute("SHOW SCHEMAS FROM zkarrow")
                        .getOnlyColumnAsSet()
                        .contains("shared_s"));
    }

    @Test
    public void testDefaultRootsSeparateCatalogs() throws Exception {
        // without zkarrow.zookeeper.root each catalog name gets its own root /zkarrow/<catalog>
        Map<String, String> properties = catalogProperties(null, workDir.resolve("warehouse2"));
        first.createCatalog("own_a", "zkarrow", properties);
        first.createCatalog("own_b", "zkarrow", properties);
        first.execute("CREATE SCHEMA own_a.only_in_a");
        assertTrue(
                first.execute("SHOW SCHEMAS FROM own_a")
                        .getOnlyColumnAsSet()
                        .contains("only_in_a"));
        assertFalse(
                first.execute("SHOW SCHEMAS FROM own_b")
                        .getOnlyColumnAsSet()
                        .contains("only_in_a"));
        Session session = ZkArrowTestSupport.session("own_a", "only_in_a");
        assertEquals(
                first.execute(
                                session,
                                "SELECT count(*) FROM information_schema.tables WHERE table_schema"
                                        + " = 'only_in_a'")
                        .getOnlyValue(),
                0L);
    }
}
