package io.zkarrow.presto.procedures;

import static io.zkarrow.presto.procedures.ProcedureArguments.name;
import static io.zkarrow.presto.procedures.ProcedureArguments.required;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.procedure.Procedure;
import com.facebook.presto.spi.procedure.Procedure.Argument;

import io.zkarrow.presto.protocol.ZkArrowClient;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code CALL <catalog>.system.register_table(schema, table, path)} and {@code CALL
 * <catalog>.system.unregister_table(schema, table)} and {@code CALL
 * <catalog>.system.set_config(key, value)}. Schema and table names are lower-cased, as Presto looks
 * tables up by lower-case names.
 */
public final class ZkArrowProcedures {
    private static final MethodHandle REGISTER_TABLE;
    private static final MethodHandle UNREGISTER_TABLE;
    private static final MethodHandle SET_CONFIG;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REGISTER_TABLE =
                    lookup.findVirtual(
                            ZkArrowProcedures.class,
                            "registerTable",
                            MethodType.methodType(
                                    void.class, String.class, String.class, String.class));
            UNREGISTER_TABLE =
                    lookup.findVirtual(
                            ZkArrowProcedures.class,
                            "unregisterTable",
                            MethodType.methodType(
                                    void.class,
                                    ConnectorSession.class,
                                    String.class,
                                    String.class));
            SET_CONFIG =
                    lookup.findVirtual(
                            ZkArrowProcedures.class,
                            "setConfig",
                            MethodType.methodType(void.class, String.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ZkArrowClient client;
    private final ZkArrowSnapshotProcedures snapshotProcedures;

    public ZkArrowProcedures(ZkArrowClient client, ZkArrowSnapshotProcedures snapshotProcedures) {
        this.client = requireNonNull(client, "client is null");
        this.snapshotProcedures = requireNonNull(snapshotProcedures, "snapshotProcedures is null");
    }

    public Set<Procedure> getProcedures() {
        Set<Procedure> procedures = new LinkedHashSet<>();
        procedures.add(
                new Procedure(
                        "system",
                        "register_table",
                        Arrays.asList(
                                new Argument("schema", "varchar"),
                                new Argument("table", "varchar"),
                                new Argument("path", "varchar")),
                        REGISTER_TABLE.bindTo(this)));
        procedures.add(
                new Procedure(
                        "system",
                        "unregister_table",
                        Arrays.asList(
                                new Argument("schema", "varchar"),
                                new Argument("table", "varchar")),
                        UNREGISTER_TABLE.bindTo(this)));
        procedures.add(
                new Procedure(
                        "system",
                        "set_config",
                        Arrays.asList(
                                new Argument("key", "varchar"), new Argument("value", "varchar")),
                        SET_CONFIG.bindTo(this)));
        // rollback_to_snapshot, expire_snapshots, remove_orphan_files
        procedures.addAll(snapshotProcedures.getProcedures());
        return procedures;
    }

    public void registerTable(String schema, String table, String path) {
        client.registerTable(name("schema", schema), name("table", table), required("path", path));
    }

    public void unregisterTable(ConnectorSession session, String schema, String table) {
        client.unregisterTable(name("schema", schema), name("table", table), session.getQueryId());
    }

    /**
     * Validates and writes one dynamic setting to {@code <root>/config}; every node of every
     * cluster on the root applies it through its watch. A refused key or value writes nothing
     * (INVALID_ARGUMENT).
     */
    public void setConfig(String key, String value) {
        client.setConfig(required("key", key), required("value", value));
    }
}
