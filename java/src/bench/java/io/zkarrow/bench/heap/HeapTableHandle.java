package io.zkarrow.bench.heap;

import com.facebook.presto.spi.ConnectorTableHandle;
import com.facebook.presto.spi.SchemaTableName;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/** A table by name and by the store's id (a table dropped and created again has a new id). */
public final class HeapTableHandle implements ConnectorTableHandle {
    private final String schemaName;
    private final String tableName;
    private final long id;

    @JsonCreator
    public HeapTableHandle(
            @JsonProperty("schemaName") String schemaName,
            @JsonProperty("tableName") String tableName,
            @JsonProperty("id") long id) {
        this.schemaName = schemaName;
        this.tableName = tableName;
        this.id = id;
    }

    @JsonProperty
    public String getSchemaName() {
        return schemaName;
    }

    @JsonProperty
    public String getTableName() {
        return tableName;
    }

    @JsonProperty
    public long getId() {
        return id;
    }

    SchemaTableName toSchemaTableName() {
        return new SchemaTableName(schemaName, tableName);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HeapTableHandle)) {
            return false;
        }
        HeapTableHandle other = (HeapTableHandle) o;
        return id == other.id
                && schemaName.equals(other.schemaName)
                && tableName.equals(other.tableName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schemaName, tableName, id);
    }

    @Override
    public String toString() {
        return schemaName + "." + tableName + "#" + id;
    }
}
