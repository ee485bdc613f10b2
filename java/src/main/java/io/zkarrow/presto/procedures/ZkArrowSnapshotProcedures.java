package io.zkarrow.presto.procedures;

import static io.zkarrow.presto.procedures.ProcedureArguments.name;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.procedure.Procedure;
import com.facebook.presto.spi.procedure.Procedure.Argument;

import io.zkarrow.presto.protocol.Response;
import io.zkarrow.presto.protocol.ZkArrowClient;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Snapshot maintenance:
 *
 * <ul>
 *   <li>{@code CALL <catalog>.system.rollback_to_snapshot(schema, table, snapshot_id)}: a new
 *       snapshot whose files are those of {@code snapshot_id} (history is kept).
 *   <li>{@code CALL <catalog>.system.expire_snapshots(schema, table, older_than => '7d',
 *       retain_last => 1)}: forgets snapshots committed before {@code older_than}, keeping at least
 *       the {@code retain_last} newest. {@code older_than} is an age ({@code 30m}, {@code 12h},
 *       {@code 7d}, {@code 0s}: "older than this long ago") or an ISO-8601 instant ({@code
 *       2024-05-01T00:00:00Z}).
 *   <li>{@code CALL <catalog>.system.remove_orphan_files(schema, table, older_than => '1d', dry_run
 *       => false)}: deletes files under the table's location that no live snapshot names and that
 *       are older than {@code older_than}. A procedure returns no rows: a dry run only logs the
 *       list; query {@code "<table>$orphan_files"} to see it from SQL.
 *   <li>{@code CALL <catalog>.system.optimize(schema, table, target_file_size => '128MB')}:
 *       rewrites the small files zkarrow wrote into files of about {@code target_file_size} (text
 *       such as {@code 128MB} or {@code 1GB}, or a number of bytes as text) as one replace
 *       snapshot. INSERTs go on meanwhile; a concurrent TRUNCATE makes it fail with
 *       ZKARROW_COMMIT_CONFLICT. Registered files are left as they are. The report goes to the
 *       server log; {@code "<table>$files"} and {@code "<table>$snapshots"} show the outcome.
 * </ul>
 *
 * The arguments go to the native side as they are: it validates them, and an optional argument left
 * out (declared with a null default) takes the native default (7d and 1 for expire_snapshots, 1d
 * and false for remove_orphan_files, 128MB for optimize).
 */
public final class ZkArrowSnapshotProcedures {
    private static final Logger LOG = Logger.getLogger(ZkArrowSnapshotProcedures.class.getName());

    private static final MethodHandle ROLLBACK_TO_SNAPSHOT;
    private static final MethodHandle EXPIRE_SNAPSHOTS;
    private static final MethodHandle REMOVE_ORPHAN_FILES;
    private static final MethodHandle OPTIMIZE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ROLLBACK_TO_SNAPSHOT =
                    lookup.findVirtual(
                            ZkArrowSnapshotProcedures.class,
                            "rollbackToSnapshot",
                            MethodType.methodType(
                                    void.class,
                                    ConnectorSession.class,
                                    String.class,
                                    String.class,
                                    Long.class));
            EXPIRE_SNAPSHOTS =
                    lookup.findVirtual(
                            ZkArrowSnapshotProcedures.class,
                            "expireSnapshots",
                            MethodType.methodType(
                                    void.class,
                                    String.class,
                                    String.class,
                                    String.class,
                                    Long.class));
            REMOVE_ORPHAN_FILES =
                    lookup.findVirtual(
                            ZkArrowSnapshotProcedures.class,
                            "removeOrphanFiles",
                            MethodType.methodType(
                                    void.class,
                                    ConnectorSession.class,
                                    String.class,
                                    String.class,
                                    String.class,
                                    Boolean.class));
            OPTIMIZE =
                    lookup.findVirtual(
                            ZkArrowSnapshotProcedures.class,
                            "optimize",
                            MethodType.methodType(
                                    void.class,
                                    ConnectorSession.class,
                                    String.class,
                                    String.class,
                                    String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ZkArrowClient client;

    public ZkArrowSnapshotProcedures(ZkArrowClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    public Set<Procedure> getProcedures() {
        Set<Procedure> procedures = new LinkedHashSet<>();
        procedures.add(
                new Procedure(
                        "system",
                        "rollback_to_snapshot",
                        Arrays.asList(
                                new Argument("schema", "varchar"),
                                new Argument("table", "varchar"),
                                new Argument("snapshot_id", "bigint")),
                        ROLLBACK_TO_SNAPSHOT.bindTo(this)));
        procedures.add(
                new Procedure(
                        "system",
                        "expire_snapshots",
                        Arrays.asList(
                                new Argument("schema", "varchar"),
                                new Argument("table", "varchar"),
                                new Argument("older_than", "varchar", false, null),
                                new Argument("retain_last", "bigint", false, null)),
                        EXPIRE_SNAPSHOTS.bindTo(this)));
        procedures.add(
                new Procedure(
                        "system",
                        "remove_orphan_files",
                        Arrays.asList(
                                new Argument("schema", "varchar"),
                                new Argument("table", "varchar"),
                                new Argument("older_than", "varchar", false, null),
                                new Argument("dry_run", "boolean", false, null)),
                        REMOVE_ORPHAN_FILES.bindTo(this)));
        procedures.add(
                new Procedure(
                        "system",
                        "optimize",
                        Arrays.asList(
                                new Argument("schema", "varchar"),
                                new Argument("table", "varchar"),
                                new Argument("target_file_size", "varchar", false, null)),
                        OPTIMIZE.bindTo(this)));
        return procedures;
    }

    public void rollbackToSnapshot(
            ConnectorSession session, String schema, String table, Long snapshotId) {
        client.rollbackToSnapshot(
                name("schema", schema), name("table", table), snapshotId, session.getQueryId());
    }

    public void expireSnapshots(String schema, String table, String olderThan, Long retainLast) {
        List<Long> expired =
                client.expireSnapshots(
                        name("schema", schema), name("table", table), olderThan, retainLast);
        LOG.info("zkarrow: expire_snapshots " + schema + "." + table + " expired " + expired);
    }

    public void removeOrphanFiles(
            ConnectorSession session,
            String schema,
            String table,
            String olderThan,
            Boolean dryRun) {
        List<String> files =
                client.removeOrphanFiles(
                        name("schema", schema),
                        name("table", table),
                        olderThan,
                        dryRun,
                        session.getQueryId());
        LOG.info(
                "zkarrow: remove_orphan_files "
                        + schema
                        + "."
                        + table
                        + (dryRun != null && dryRun ? " (dry run) would remove " : " removed ")
                        + files.size()
                        + " file(s): "
                        + files);
    }

    public void optimize(
            ConnectorSession session, String schema, String table, String targetFileSize) {
        Response.OptimizeReport report =
                client.optimize(
                        name("schema", schema),
                        name("table", table),
                        targetFileSize,
                        session.getQueryId());
        LOG.info(
                "zkarrow: optimize "
                        + schema
                        + "."
                        + table
                        + (report.committed()
                                ? " rewrote "
                                        + report.rewrittenFiles()
                                        + " small file(s) ("
                                        + report.rows()
                                        + " rows) into "
                                        + report.writtenFiles()
                                        + "; files "
                                        + report.filesBefore()
                                        + " -> "
                                        + report.filesAfter()
                                        + ", snapshot "
                                        + report.snapshotId()
                                : " found nothing to compact (" + report.filesBefore() + " files)")
                        + (report.skippedFiles() > 0
                                ? "; " + report.skippedFiles() + " registered file(s) left"
                                : ""));
    }
}
