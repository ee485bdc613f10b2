package io.zkarrow.presto.procedures;

import static io.zkarrow.presto.ZkArrowErrorCode.INVALID_ARGUMENT;
import static io.zkarrow.presto.procedures.ProcedureArguments.name;
import static io.zkarrow.presto.procedures.ProcedureArguments.required;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.procedure.Procedure;
import com.facebook.presto.spi.procedure.Procedure.Argument;

import io.zkarrow.presto.protocol.ZkArrowTableOps;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * </ul>
 */
public final class ZkArrowSnapshotProcedures {
    private static final Logger LOG = Logger.getLogger(ZkArrowSnapshotProcedures.class.getName());
    private static final Pattern AGE = Pattern.compile("^\\s*(\\d+)\\s*(ms|s|m|h|d)\\s*$");

    private static final MethodHandle ROLLBACK_TO_SNAPSHOT;
    private static final MethodHandle EXPIRE_SNAPSHOTS;
    private static final MethodHandle REMOVE_ORPHAN_FILES;

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
                                    String.class,
                                    String.class,
                                    String.class,
                                    Boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ZkArrowTableOps ops;

    public ZkArrowSnapshotProcedures(ZkArrowTableOps ops) {
        this.ops = requireNonNull(ops, "ops is null");
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
                                new Argument("older_than", "varchar", false, "7d"),
                                new Argument("retain_last", "bigint", false, 1L)),
                        EXPIRE_SNAPSHOTS.bindTo(this)));
        procedures.add(
                new Procedure(
                        "system",
                        "remove_orphan_files",
                        Arrays.asList(
                                new Argument("schema", "varchar"),
                                new Argument("table", "varchar"),
                                new Argument("older_than", "varchar", false, "1d"),
                                new Argument("dry_run", "boolean", false, false)),
                        REMOVE_ORPHAN_FILES.bindTo(this)));
        return procedures;
    }

    public void rollbackToSnapshot(
            ConnectorSession session, String schema, String table, Long snapshotId) {
        if (snapshotId == null || snapshotId < 1) {
            throw new PrestoException(
                    INVALID_ARGUMENT,
                    "The argument snapshot_id must be a positive snapshot id, not "
                            + snapshotId
                            + " (see \""
                            + table
                            + "$snapshots\")");
        }
        ops.rollbackToSnapshot(
                name("schema", schema), name("table", table), snapshotId, session.getQueryId());
    }

    public void expireSnapshots(String schema, String table, String olderThan, Long retainLast) {
        if (retainLast == null || retainLast < 1) {
            throw new PrestoException(
                    INVALID_ARGUMENT,
                    "The argument retain_last must be at least 1 (the current snapshot is always"
                            + " kept), not "
                            + retainLast);
        }
        List<Object> expired =
                ops.expireSnapshots(
                        name("schema", schema),
                        name("table", table),
                        cutoffMillis("older_than", olderThan),
                        retainLast);
        LOG.info("zkarrow: expire_snapshots " + schema + "." + table + " expired " + expired);
    }

    public void removeOrphanFiles(String schema, String table, String olderThan, Boolean dryRun) {
        boolean dry = dryRun != null && dryRun;
        List<String> files =
                ops.removeOrphanFiles(
                        name("schema", schema),
                        name("table", table),
                        cutoffMillis("older_than", olderThan),
                        dry);
        LOG.info(
                "zkarrow: remove_orphan_files "
                        + schema
                        + "."
                        + table
                        + (dry ? " (dry run) would remove " : " removed ")
                        + files.size()
                        + " file(s): "
                        + files);
    }

    /**
     * {@code older_than} as epoch milliseconds: now minus an age such as 7d, or an ISO-8601
     * instant.
     */
    static long cutoffMillis(String argument, String value) {
        String text = required(argument, value);
        Matcher matcher = AGE.matcher(text.toLowerCase(Locale.ENGLISH));
        if (matcher.matches()) {
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw invalidAge(argument, text);
            }
            long unit;
            switch (matcher.group(2)) {
                case "ms":
                    unit = 1;
                    break;
                case "s":
                    unit = 1_000;
                    break;
                case "m":
                    unit = 60_000;
                    break;
                case "h":
                    unit = 3_600_000;
                    break;
                default:
                    unit = 86_400_000;
            }
            if (amount > Long.MAX_VALUE / unit / 2) {
                throw invalidAge(argument, text);
            }
            return System.currentTimeMillis() - amount * unit;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw invalidAge(argument, text);
        }
    }

    private static PrestoException invalidAge(String argument, String text) {
        return new PrestoException(
                INVALID_ARGUMENT,
                "The argument "
                        + argument
                        + " must be an age such as 30m, 12h or 7d (older than that long ago) "
                        + "or an ISO-8601 instant such as 2024-05-01T00:00:00Z, not '"
                        + text
                        + "'");
    }
}
