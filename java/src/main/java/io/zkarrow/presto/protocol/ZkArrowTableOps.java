package io.zkarrow.presto.protocol;

import static io.zkarrow.presto.ZkArrowErrorCode.INTERNAL;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.PrestoException;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The write, DDL and snapshot requests of PROTOCOL.md over a {@link ZkArrowClient}: DDL, CREATE
 * TABLE AS (plan_new_table / publish_table), commits, snapshots, files and the table maintenance
 * procedures.
 */
public final class ZkArrowTableOps {
    private static final String NODE_NAME = localNodeName();

    private final ZkArrowClient client;
    private final String node;

    /**
     * {@code nodeId}: this Presto node's identifier, written into lock holders (null: the host
     * name).
     */
    public ZkArrowTableOps(ZkArrowClient client, String nodeId) {
        this.client = requireNonNull(client, "client is null");
        this.node = nodeId == null || nodeId.isEmpty() ? NODE_NAME : nodeId;
    }

    public ZkArrowClient getClient() {
        return client;
    }

    /** The node name written into lock holders ({@code holder.node}). */
    public String nodeName() {
        return node;
    }

    public void createTable(
            String schema,
            String table,
            List<Map<String, Object>> columns,
            Map<String, String> properties) {
        Map<String, Object> request = tableRequest("create_table", schema, table);
        request.put("columns", columns);
        request.put("properties", properties);
        client.call(request);
    }

    public void dropTable(String schema, String table, String queryId) {
        Map<String, Object> request = tableRequest("drop_table", schema, table);
        request.put("holder", holder(queryId));
        client.call(request);
    }

    public void renameTable(
            String schema, String table, String newSchema, String newTable, String queryId) {
        Map<String, Object> request = tableRequest("rename_table", schema, table);
        request.put("new_schema", newSchema);
        request.put("new_table", newTable);
        request.put("holder", holder(queryId));
        client.call(request);
    }

    /** {@code plan_new_table}: the whole response ({@code new_table}, {@code data_dir}). */
    public Map<String, Object> planNewTable(
            String schema,
            String table,
            List<Map<String, Object>> columns,
            Map<String, String> properties,
            String queryId) {
        Map<String, Object> request = tableRequest("plan_new_table", schema, table);
        request.put("columns", columns);
        request.put("properties", properties);
        request.put("query_id", queryId);
        return client.call(request);
    }

    public void publishTable(Object newTable, List<Object> files) {
        Map<String, Object> request = ZkArrowClient.request("publish_table");
        request.put("new_table", newTable);
        request.put("files", files);
        client.call(request);
    }

    /**
     * {@code abort_new_table}: removes the directories of a planned table that was never published.
     */
    public void abortNewTable(Object newTable) {
        Map<String, Object> request = ZkArrowClient.request("abort_new_table");
        request.put("new_table", newTable);
        client.call(request);
    }

    /**
     * ALTER TABLE ... ADD COLUMN: {@code type} is a Presto type signature. Returns the changed
     * table.
     */
    public ZkArrowClient.TableInfo addColumn(
            String schema, String table, String name, String type, String queryId) {
        Map<String, Object> request = tableRequest("add_column", schema, table);
        request.put("name", name);
        request.put("type", type);
        request.put("holder", holder(queryId));
        return alteredTable(client.call(request));
    }

    /** ALTER TABLE ... RENAME COLUMN. Returns the changed table. */
    public ZkArrowClient.TableInfo renameColumn(
            String schema, String table, String name, String newName, String queryId) {
        Map<String, Object> request = tableRequest("rename_column", schema, table);
        request.put("name", name);
        request.put("new_name", newName);
        request.put("holder", holder(queryId));
        return alteredTable(client.call(request));
    }

    /** ALTER TABLE ... DROP COLUMN. Returns the changed table. */
    public ZkArrowClient.TableInfo dropColumn(
            String schema, String table, String name, String queryId) {
        Map<String, Object> request = tableRequest("drop_column", schema, table);
        request.put("name", name);
        request.put("holder", holder(queryId));
        return alteredTable(client.call(request));
    }

    /** A request for operation {@code op} on one table. */
    private static Map<String, Object> tableRequest(String op, String schema, String table) {
        Map<String, Object> request = ZkArrowClient.request(op);
        request.put("schema", schema);
        request.put("table", table);
        return request;
    }

    private ZkArrowClient.TableInfo alteredTable(Map<String, Object> response) {
        Map<String, Object> table = asObject(response.get("table"));
        if (table == null) {
            throw new PrestoException(
                    INTERNAL,
                    "The native library's answer to a schema change has no table: "
                            + Json.write(response));
        }
        return client.toTableInfo(table);
    }

    /** {@code get_table}'s raw record (with {@code data_dir} and {@code properties}), or null. */
    public Map<String, Object> tableRecord(String schema, String table) {
        Map<String, Object> request = tableRequest("get_table", schema, table);
        Object value = client.call(request).get("table");
        return asObject(value);
    }

    /** {@code begin_write}: marks an INSERT in flight; the table record it writes into. */
    public Map<String, Object> beginWrite(String schema, String table, String queryId) {
        Map<String, Object> request = tableRequest("begin_write", schema, table);
        request.put("query_id", queryId);
        Map<String, Object> record = asObject(client.call(request).get("table"));
        if (record == null) {
            throw new PrestoException(
                    INTERNAL, "begin_write returned no table for " + schema + "." + table);
        }
        return record;
    }

    /** {@code end_write}: an INSERT that will not commit is no longer in flight. */
    public void endWrite(String tableId, String queryId) {
        if (tableId == null || queryId == null) {
            return;
        }
        Map<String, Object> request = ZkArrowClient.request("end_write");
        request.put("table_id", tableId);
        request.put("query_id", queryId);
        client.call(request);
    }

    /**
     * {@code commit}: the outcome {@code {snapshot_id, manifest, retries}}; {@code tableId}
     * (nullable) is the table the statement started on.
     */
    public Map<String, Object> commit(
            String schema,
            String table,
            String operation,
            List<Object> files,
            Long baseSnapshotId,
            String tableId,
            String queryId) {
        Map<String, Object> request = tableRequest("commit", schema, table);
        request.put("table_id", tableId);
        request.put("operation", operation);
        request.put("files", files);
        request.put("base_snapshot_id", baseSnapshotId);
        request.put("holder", holder(queryId));
        return client.call(request);
    }

    /** Newest first. */
    public List<Map<String, Object>> snapshots(String schema, String table) {
        Map<String, Object> request = tableRequest("snapshots", schema, table);
        return objects(client.call(request).get("snapshots"), "snapshots");
    }

    public List<Map<String, Object>> files(String schema, String table, Long snapshotId) {
        Map<String, Object> request = tableRequest("files", schema, table);
        request.put("snapshot_id", snapshotId);
        return objects(client.call(request).get("files"), "files");
    }

    public Map<String, Object> rollbackToSnapshot(
            String schema, String table, long snapshotId, String queryId) {
        Map<String, Object> request = tableRequest("rollback_to_snapshot", schema, table);
        request.put("snapshot_id", snapshotId);
        request.put("holder", holder(queryId));
        return client.call(request);
    }

    public List<Object> expireSnapshots(
            String schema, String table, long olderThanMillis, long retainLast) {
        Map<String, Object> request = tableRequest("expire_snapshots", schema, table);
        request.put("older_than_ms", olderThanMillis);
        request.put("retain_last", retainLast);
        Object expired = client.call(request).get("expired");
        return expired instanceof List ? new ArrayList<>((List<?>) expired) : new ArrayList<>();
    }

    public List<String> removeOrphanFiles(
            String schema, String table, long olderThanMillis, boolean dryRun) {
        Map<String, Object> request = tableRequest("remove_orphan_files", schema, table);
        request.put("older_than_ms", olderThanMillis);
        request.put("dry_run", dryRun);
        Object files = client.call(request).get("files");
        List<String> paths = new ArrayList<>();
        if (files instanceof List) {
            for (Object file : (List<?>) files) {
                paths.add(String.valueOf(file));
            }
        }
        return paths;
    }

    private Map<String, Object> holder(String queryId) {
        Map<String, Object> holder = new LinkedHashMap<>();
        holder.put("node", node);
        holder.put("query_id", queryId);
        return holder;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObject(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : null;
    }

    public static List<Map<String, Object>> objects(Object value, String field) {
        if (!(value instanceof List)) {
            throw new PrestoException(
                    INTERNAL, "The native library's response has no array '" + field + "'");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : (List<?>) value) {
            Map<String, Object> object = asObject(item);
            if (object == null) {
                throw new PrestoException(
                        INTERNAL,
                        "The native library's response has a non-object in '" + field + "'");
            }
            out.add(object);
        }
        return out;
    }

    private static String localNodeName() {
        try {
            return "presto@" + InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "presto@unknown-host";
        }
    }
}
