package io.zkarrow.bench.heap;

import static com.facebook.presto.spi.StandardErrorCode.ALREADY_EXISTS;
import static com.facebook.presto.spi.StandardErrorCode.NOT_FOUND;

import com.facebook.presto.common.Page;
import com.facebook.presto.spi.ColumnMetadata;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.SchemaNotFoundException;
import com.facebook.presto.spi.SchemaTableName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A catalog's schemas, tables and pages, in this JVM's heap (single node: see package-info). Writes
 * stage their pages under their write id and publish them when the query finishes; every method
 * holds the store's lock, none of them copies page data.
 */
final class HeapStore {
    static final String DEFAULT_SCHEMA = "default";

    private final TreeSet<String> schemas = new TreeSet<>();
    private final Map<SchemaTableName, HeapTable> tablesByName = new HashMap<>();
    // also the tables a CREATE TABLE AS is still writing (not yet named)
    private final Map<Long, HeapTable> tablesById = new HashMap<>();
    private final Map<String, List<Page>> staged = new HashMap<>();
    private long nextTableId;

    HeapStore() {
        schemas.add(DEFAULT_SCHEMA);
    }

    synchronized List<String> schemaNames() {
        return new ArrayList<>(schemas);
    }

    synchronized void createSchema(String schema) {
        if (!schemas.add(schema)) {
            throw new PrestoException(ALREADY_EXISTS, "schema " + schema + " already exists");
        }
    }

    synchronized Optional<HeapTable> table(SchemaTableName name) {
        return Optional.ofNullable(tablesByName.get(name));
    }

    synchronized HeapTable table(long id) {
        HeapTable table = tablesById.get(id);
        if (table == null) {
            throw new PrestoException(NOT_FOUND, "the heap table with id " + id + " is gone");
        }
        return table;
    }

    /** The named tables of one schema, or of every schema. */
    synchronized List<HeapTable> tables(Optional<String> schema) {
        List<HeapTable> found = new ArrayList<>();
        for (HeapTable table : tablesByName.values()) {
            if (!schema.isPresent() || schema.get().equals(table.name().getSchemaName())) {
                found.add(table);
            }
        }
        return found;
    }

    /** A table for CREATE TABLE AS: it gets its name once the query finishes ({@link #name}). */
    synchronized HeapTable newTable(SchemaTableName name, List<ColumnMetadata> columns) {
        if (!schemas.contains(name.getSchemaName())) {
            throw new SchemaNotFoundException(name.getSchemaName());
        }
        checkFree(name);
        HeapTable table = new HeapTable(nextTableId++, name, columns);
        tablesById.put(table.id(), table);
        return table;
    }

    synchronized void name(long tableId) {
        HeapTable table = table(tableId);
        checkFree(table.name());
        tablesByName.put(table.name(), table);
    }

    private void checkFree(SchemaTableName name) {
        if (tablesByName.containsKey(name)) {
            throw new PrestoException(ALREADY_EXISTS, "table " + name + " already exists");
        }
    }

    /** Keeps a page of a write until {@link #publish} or {@link #discard}. */
    synchronized void stage(String writeId, Page page) {
        staged.computeIfAbsent(writeId, id -> new ArrayList<>()).add(page);
    }

    /** Appends the pages a write staged to its table. */
    synchronized void publish(String writeId, long tableId) {
        HeapTable table = table(tableId);
        List<Page> pages = staged.remove(writeId);
        if (pages != null) {
            table.append(pages);
        }
    }

    synchronized void discard(String writeId) {
        staged.remove(writeId);
    }
}
