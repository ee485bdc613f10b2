package io.zkarrow.presto;

import static io.zkarrow.presto.ZkArrowTestSupport.assertQueryFails;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;

import com.facebook.presto.Session;
import com.facebook.presto.tests.DistributedQueryRunner;

import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Data files that lie (a compressed buffer declaring 2^50 uncompressed bytes: arrow used to
 * allocate that much and abort the JVM) fail the one query with ZKARROW_CORRUPT_FILE naming the
 * file, at registration and at scan, and the same workers serve the next query. The files are made
 * by rust/core/tests/corrupt_files.rs.
 */
@Test(singleThreaded = true)
public class TestZkArrowCorruptFiles extends AbstractZkArrowTest {
    private static final String HOSTILE = "lz4-declares-2pow50.arrow";
    private static final String VALID = "lz4-valid.arrow";

    private Path warehouse;
    private DistributedQueryRunner runner;
    private Session session;

    public TestZkArrowCorruptFiles() {
        super("corrupt");
    }

    @BeforeClass
    public void setUp() throws Exception {
        warehouse = workDir.resolve("warehouse");
        runner = createRunner("zkarrow", catalogProperties(null, warehouse));
        session = ZkArrowTestSupport.session("zkarrow", "s");
        runner.execute("CREATE SCHEMA zkarrow.s");
    }

    /** Copies a fixture under the warehouse (the default allowed location) and returns its path. */
    private Path fixture(String name, String dir, String as) throws IOException {
        Path target = warehouse.resolve("external").resolve(dir).resolve(as);
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/corrupt/" + name)) {
            if (in == null) {
                throw new AssertionError("missing test resource corrupt/" + name);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private void assertServing() {
        assertEquals(runner.execute(session, "SELECT 1 + 1").getOnlyValue(), 2);
        assertEquals(
                runner.execute(session, "SELECT count(*), sum(id) FROM good")
                        .getMaterializedRows()
                        .get(0)
                        .getFields()
                        .get(0),
                200L);
    }

    @Test
    public void testRegisteringAFileThatLiesFailsTheCallOnly() throws Exception {
        Path good = fixture(VALID, "good", "good.arrow");
        runner.execute("CALL zkarrow.system.register_table('s', 'good', '" + good + "')");
        assertServing();

        Path hostile = fixture(HOSTILE, "hostile", "hostile.arrow");
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.register_table('s', 'hostile', '" + hostile + "')",
                "ZKARROW_CORRUPT_FILE",
                hostile.toString());
        assertQueryFails(
                runner,
                session,
                "CALL zkarrow.system.register_table('s', 'hostile', '" + hostile + "')",
                null,
                "declares 1125899906842624 uncompressed bytes");
        assertFalse(
                runner.execute(session, "SHOW TABLES FROM zkarrow.s")
                        .getOnlyColumnAsSet()
                        .contains("hostile"));
        assertServing();
    }

    @Test(dependsOnMethods = "testRegisteringAFileThatLiesFailsTheCallOnly")
    public void testScanningAFileSwappedForOneThatLiesFailsTheQueryOnly() throws Exception {
        Path file = fixture(VALID, "swapped", "data.arrow");
        runner.execute("CALL zkarrow.system.register_table('s', 'swapped', '" + file + "')");
        assertEquals(
                runner.execute(session, "SELECT count(*) FROM swapped WHERE name IS NOT NULL")
                        .getOnlyValue(),
                200L);

        // the same schema and footer, one buffer declaring 2^50 bytes
        fixture(HOSTILE, "swapped", "data.arrow");
        for (int i = 0; i < 3; i++) {
            assertQueryFails(
                    runner,
                    session,
                    "SELECT sum(id), max(name) FROM swapped",
                    "ZKARROW_CORRUPT_FILE",
                    file.toString());
            assertServing();
        }
        // a projection reads only its own columns' buffers: the lie sits in id's, so name still
        // reads, and id alone fails
        assertEquals(
                runner.execute(session, "SELECT count(name) FROM swapped").getOnlyValue(), 200L);
        assertQueryFails(runner, session, "SELECT id FROM swapped", null, "1125899906842624");
        assertServing();
    }
}
