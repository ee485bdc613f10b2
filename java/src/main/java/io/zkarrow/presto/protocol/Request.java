package io.zkarrow.presto.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata requests of {@code NativeCatalog.call}: {@code {"op": "<op>", ...}}, one record per
 * op, each naming the {@link Response} it is answered with. The golden documents
 * tests/protocol/&lt;op&gt;[.&lt;case&gt;].json show every shape. Lock holders are built natively
 * from this node and the request's {@code query_id}; every decision (defaults, validation,
 * conflicts) is the native side's.
 *
 * @param <R> the response
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Request.ListSchemas.class, name = "list_schemas"),
    @JsonSubTypes.Type(value = Request.CreateSchema.class, name = "create_schema"),
    @JsonSubTypes.Type(value = Request.DropSchema.class, name = "drop_schema"),
    @JsonSubTypes.Type(value = Request.ListTables.class, name = "list_tables"),
    @JsonSubTypes.Type(value = Request.GetTable.class, name = "get_table"),
    @JsonSubTypes.Type(value = Request.DescribeTables.class, name = "describe_tables"),
    @JsonSubTypes.Type(value = Request.RegisterTable.class, name = "register_table"),
    @JsonSubTypes.Type(value = Request.UnregisterTable.class, name = "unregister_table"),
    @JsonSubTypes.Type(value = Request.CreateTable.class, name = "create_table"),
    @JsonSubTypes.Type(value = Request.DropTable.class, name = "drop_table"),
    @JsonSubTypes.Type(value = Request.RenameTable.class, name = "rename_table"),
    @JsonSubTypes.Type(value = Request.PlanNewTable.class, name = "plan_new_table"),
    @JsonSubTypes.Type(value = Request.AbortNewTable.class, name = "abort_new_table"),
    @JsonSubTypes.Type(value = Request.PublishTable.class, name = "publish_table"),
    @JsonSubTypes.Type(value = Request.AddColumn.class, name = "add_column"),
    @JsonSubTypes.Type(value = Request.RenameColumn.class, name = "rename_column"),
    @JsonSubTypes.Type(value = Request.DropColumn.class, name = "drop_column"),
    @JsonSubTypes.Type(value = Request.BeginWrite.class, name = "begin_write"),
    @JsonSubTypes.Type(value = Request.EndWrite.class, name = "end_write"),
    @JsonSubTypes.Type(value = Request.Commit.class, name = "commit"),
    @JsonSubTypes.Type(value = Request.PlanSplits.class, name = "plan_splits"),
    @JsonSubTypes.Type(value = Request.ResolveVersion.class, name = "resolve_version"),
    @JsonSubTypes.Type(value = Request.Snapshots.class, name = "snapshots"),
    @JsonSubTypes.Type(value = Request.Files.class, name = "files"),
    @JsonSubTypes.Type(value = Request.TableStatistics.class, name = "table_statistics"),
    @JsonSubTypes.Type(value = Request.RollbackToSnapshot.class, name = "rollback_to_snapshot"),
    @JsonSubTypes.Type(value = Request.ExpireSnapshots.class, name = "expire_snapshots"),
    @JsonSubTypes.Type(value = Request.RemoveOrphanFiles.class, name = "remove_orphan_files"),
    @JsonSubTypes.Type(value = Request.Optimize.class, name = "optimize"),
    @JsonSubTypes.Type(value = Request.Locks.class, name = "locks"),
    @JsonSubTypes.Type(value = Request.Nodes.class, name = "nodes"),
    @JsonSubTypes.Type(value = Request.Config.class, name = "config"),
    @JsonSubTypes.Type(value = Request.SetConfig.class, name = "set_config"),
    @JsonSubTypes.Type(value = Request.Znodes.class, name = "znodes"),
    @JsonSubTypes.Type(value = Request.Counters.class, name = "counters")
})
public sealed interface Request<R> {
    /** The class the response binds to. */
    @JsonIgnore
    Class<R> responseType();

    /** Every request class and its op name, in the order of the protocol. */
    static Map<Class<?>, String> ops() {
        Map<Class<?>, String> ops = new LinkedHashMap<>();
        for (JsonSubTypes.Type type : Request.class.getAnnotation(JsonSubTypes.class).value()) {
            ops.put(type.value(), type.name());
        }
        return Collections.unmodifiableMap(ops);
    }

    /** The op name of {@code request}. */
    static String opOf(Request<?> request) {
        return ops().get(request.getClass());
    }

    /** The operation of a commit. */
    enum Operation {
        @JsonProperty("append")
        APPEND,
        @JsonProperty("overwrite")
        OVERWRITE
    }

    /** {@code list_schemas}: The schemas of the catalog. */
    record ListSchemas() implements Request<Response.SchemaList> {
        @Override
        public Class<Response.SchemaList> responseType() {
            return Response.SchemaList.class;
        }
    }

    /** {@code create_schema}. */
    record CreateSchema(@JsonProperty("schema") String schema) implements Request<Response.Empty> {
        @Override
        public Class<Response.Empty> responseType() {
            return Response.Empty.class;
        }
    }

    /** {@code drop_schema}: SCHEMA_NOT_EMPTY when it has tables. */
    record DropSchema(@JsonProperty("schema") String schema) implements Request<Response.Empty> {
        @Override
        public Class<Response.Empty> responseType() {
            return Response.Empty.class;
        }
    }

    /** {@code list_tables}: {@code schema} null: the tables of every schema. */
    record ListTables(@JsonProperty("schema") String schema)
            implements Request<Response.TableList> {
        @Override
        public Class<Response.TableList> responseType() {
            return Response.TableList.class;
        }
    }

    /** {@code get_table}: {@code {"table": null}} when there is no such table. */
    record GetTable(@JsonProperty("schema") String schema, @JsonProperty("table") String table)
            implements Request<Response.TableResult> {
        @Override
        public Class<Response.TableResult> responseType() {
            return Response.TableResult.class;
        }
    }

    /**
     * {@code describe_tables}: every table of {@code schema} (null: of every schema) as get_table
     * describes it, in one call.
     */
    record DescribeTables(@JsonProperty("schema") String schema)
            implements Request<Response.TableDescriptions> {
        @Override
        public Class<Response.TableDescriptions> responseType() {
            return Response.TableDescriptions.class;
        }
    }

    /** {@code register_table}: Registers Arrow IPC files that stay where they are. */
    record RegisterTable(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("path") String path)
            implements Request<Response.TableResult> {
        @Override
        public Class<Response.TableResult> responseType() {
            return Response.TableResult.class;
        }
    }

    /** {@code unregister_table}: Under the table lock; the registered files stay. */
    record UnregisterTable(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.Empty> {
        @Override
        public Class<Response.Empty> responseType() {
            return Response.Empty.class;
        }
    }

    /** {@code create_table}. */
    record CreateTable(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("columns") List<ColumnSpec> columns,
            @JsonProperty("properties") Map<String, String> properties)
            implements Request<Response.TableResult> {
        @Override
        public Class<Response.TableResult> responseType() {
            return Response.TableResult.class;
        }
    }

    /**
     * {@code drop_table}: Under the table lock: its own data files and manifests go, registered
     * files stay.
     */
    record DropTable(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.Empty> {
        @Override
        public Class<Response.Empty> responseType() {
            return Response.Empty.class;
        }
    }

    /** {@code rename_table}. */
    record RenameTable(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("new_schema") String newSchema,
            @JsonProperty("new_table") String newTable,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.Empty> {
        @Override
        public Class<Response.Empty> responseType() {
            return Response.Empty.class;
        }
    }

    /**
     * {@code plan_new_table}: CREATE TABLE AS, begin: nothing is published; the writers' files
     * start with {@code query_id}.
     */
    record PlanNewTable(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("columns") List<ColumnSpec> columns,
            @JsonProperty("properties") Map<String, String> properties,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.NewTablePlan> {
        @Override
        public Class<Response.NewTablePlan> responseType() {
            return Response.NewTablePlan.class;
        }
    }

    /**
     * {@code abort_new_table}: A CREATE TABLE AS that will not be published: removes what its
     * writers left.
     */
    record AbortNewTable(@JsonProperty("new_table") NewTable newTable)
            implements Request<Response.Empty> {
        @Override
        public Class<Response.Empty> responseType() {
            return Response.Empty.class;
        }
    }

    /**
     * {@code publish_table}: CREATE TABLE AS, finish: the table appears with its first snapshot.
     */
    record PublishTable(
            @JsonProperty("new_table") NewTable newTable,
            @JsonProperty("files") List<DataFile> files)
            implements Request<Response.TableResult> {
        @Override
        public Class<Response.TableResult> responseType() {
            return Response.TableResult.class;
        }
    }

    /** {@code add_column}: Metadata only: older files read the column as NULL. */
    record AddColumn(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("name") String name,
            @JsonProperty("type") String type,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.TableResult> {
        @Override
        public Class<Response.TableResult> responseType() {
            return Response.TableResult.class;
        }
    }

    /** {@code rename_column}. */
    record RenameColumn(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("name") String name,
            @JsonProperty("new_name") String newName,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.TableResult> {
        @Override
        public Class<Response.TableResult> responseType() {
            return Response.TableResult.class;
        }
    }

    /** {@code drop_column}: The column's id is never reused. */
    record DropColumn(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("name") String name,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.TableResult> {
        @Override
        public Class<Response.TableResult> responseType() {
            return Response.TableResult.class;
        }
    }

    /**
     * {@code begin_write}: INSERT, begin: the write is in flight (orphan removal spares its files)
     * until commit or end_write.
     */
    record BeginWrite(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.TableResult> {
        @Override
        public Class<Response.TableResult> responseType() {
            return Response.TableResult.class;
        }
    }

    /** {@code end_write}: An INSERT that will not commit. */
    record EndWrite(
            @JsonProperty("table_id") String tableId, @JsonProperty("query_id") String queryId)
            implements Request<Response.Empty> {
        @Override
        public Class<Response.Empty> responseType() {
            return Response.Empty.class;
        }
    }

    /**
     * {@code commit}: One new snapshot: {@code base_snapshot_id} is the snapshot the statement
     * started on, {@code table_id} the table it started on (another id under the name is
     * COMMIT_CONFLICT). Ends the write of {@code query_id}.
     */
    record Commit(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("operation") Operation operation,
            @JsonProperty("files") List<DataFile> files,
            @JsonProperty("base_snapshot_id") Long baseSnapshotId,
            @JsonProperty("table_id") String tableId,
            @JsonProperty("query_id") String queryId,
            @JsonProperty("lock_timeout_ms") Long lockTimeoutMs)
            implements Request<Response.CommitOutcome> {
        @Override
        public Class<Response.CommitOutcome> responseType() {
            return Response.CommitOutcome.class;
        }
    }

    /**
     * {@code plan_splits}: The splits of a scan of the projected columns {@code column_ids} ([] for
     * a scan that reads no column) at {@code snapshot_id}; files whose statistics exclude {@code
     * domains} are skipped. {@code target_split_bytes} null: the live {@code split_target_size}
     * setting. {@code limit}: the most rows the scan reads (null: all); only the leading batches
     * holding that many rows are planned.
     */
    record PlanSplits(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("snapshot_id") Long snapshotId,
            @JsonProperty("column_ids") List<Long> columnIds,
            @JsonProperty("domains") List<ColumnDomain> domains,
            @JsonProperty("target_split_bytes") Long targetSplitBytes,
            @JsonProperty("limit") Long limit)
            implements Request<Response.SplitList> {
        @Override
        public Class<Response.SplitList> responseType() {
            return Response.SplitList.class;
        }
    }

    /**
     * {@code resolve_version}: Time travel: exactly one of {@code version} (FOR VERSION AS OF's
     * value: a bigint, or text that must parse as one) and {@code timestamp_ms}; {@code before}:
     * the {@code FOR ... BEFORE} operator.
     */
    record ResolveVersion(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("version") Object version,
            @JsonProperty("timestamp_ms") Long timestampMs,
            @JsonProperty("before") boolean before)
            implements Request<Response.ResolvedVersion> {
        @Override
        public Class<Response.ResolvedVersion> responseType() {
            return Response.ResolvedVersion.class;
        }
    }

    /** {@code snapshots}: Newest first. */
    record Snapshots(@JsonProperty("schema") String schema, @JsonProperty("table") String table)
            implements Request<Response.SnapshotList> {
        @Override
        public Class<Response.SnapshotList> responseType() {
            return Response.SnapshotList.class;
        }
    }

    /** {@code files}: {@code snapshot_id} null: the current snapshot. */
    record Files(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("snapshot_id") Long snapshotId)
            implements Request<Response.FileList> {
        @Override
        public Class<Response.FileList> responseType() {
            return Response.FileList.class;
        }
    }

    /** {@code table_statistics}: {@code snapshot_id} null: the current snapshot. */
    record TableStatistics(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("snapshot_id") Long snapshotId)
            implements Request<Response.TableStatistics> {
        @Override
        public Class<Response.TableStatistics> responseType() {
            return Response.TableStatistics.class;
        }
    }

    /**
     * {@code rollback_to_snapshot}: A new snapshot whose files are those of {@code snapshot_id}
     * (validated natively).
     */
    record RollbackToSnapshot(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("snapshot_id") Long snapshotId,
            @JsonProperty("query_id") String queryId,
            @JsonProperty("lock_timeout_ms") Long lockTimeoutMs)
            implements Request<Response.CommitOutcome> {
        @Override
        public Class<Response.CommitOutcome> responseType() {
            return Response.CommitOutcome.class;
        }
    }

    /**
     * {@code expire_snapshots}: {@code older_than}: an age ({@code 7d}: that long ago) or an
     * ISO-8601 instant; null arguments take the native defaults; validated natively.
     */
    record ExpireSnapshots(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("older_than") String olderThan,
            @JsonProperty("retain_last") Long retainLast)
            implements Request<Response.ExpiredSnapshots> {
        @Override
        public Class<Response.ExpiredSnapshots> responseType() {
            return Response.ExpiredSnapshots.class;
        }
    }

    /**
     * {@code remove_orphan_files}: {@code older_than} as for expire_snapshots; null arguments take
     * the native defaults.
     */
    record RemoveOrphanFiles(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("older_than") String olderThan,
            @JsonProperty("dry_run") Boolean dryRun,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.OrphanFiles> {
        @Override
        public Class<Response.OrphanFiles> responseType() {
            return Response.OrphanFiles.class;
        }
    }

    /**
     * {@code optimize}: Rewrites the small files zkarrow wrote into files of about {@code
     * target_file_size} (text such as {@code 128MB}, or a number of bytes; null: 128MB) as one
     * replace snapshot; validated natively.
     */
    record Optimize(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("target_file_size") Object targetFileSize,
            @JsonProperty("query_id") String queryId)
            implements Request<Response.OptimizeReport> {
        @Override
        public Class<Response.OptimizeReport> responseType() {
            return Response.OptimizeReport.class;
        }
    }

    /** {@code locks}: Every lock node of every table of the catalog. */
    record Locks() implements Request<Response.LockList> {
        @Override
        public Class<Response.LockList> responseType() {
            return Response.LockList.class;
        }
    }

    /** {@code nodes}: The registered Presto nodes. */
    record Nodes() implements Request<Response.NodeList> {
        @Override
        public Class<Response.NodeList> responseType() {
            return Response.NodeList.class;
        }
    }

    /** {@code config}: The dynamic settings as this node applies them. */
    record Config() implements Request<Response.Settings> {
        @Override
        public Class<Response.Settings> responseType() {
            return Response.Settings.class;
        }
    }

    /**
     * {@code set_config}: Validates and writes one dynamic setting; a refused one writes nothing
     * (INVALID_ARGUMENT).
     */
    record SetConfig(@JsonProperty("key") String key, @JsonProperty("value") String value)
            implements Request<Response.Empty> {
        @Override
        public Class<Response.Empty> responseType() {
            return Response.Empty.class;
        }
    }

    /** {@code znodes}: The catalog's znodes. */
    record Znodes() implements Request<Response.ZnodeList> {
        @Override
        public Class<Response.ZnodeList> responseType() {
            return Response.ZnodeList.class;
        }
    }

    /** {@code counters}: This node's counters. */
    record Counters() implements Request<Response.Counters> {
        @Override
        public Class<Response.Counters> responseType() {
            return Response.Counters.class;
        }
    }
}
