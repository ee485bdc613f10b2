package io.zkarrow.presto.handle;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ColumnHandle;
import com.facebook.presto.spi.ColumnMetadata;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.List;

/**
 * A column: its name (case kept), its Presto type (serialized by Presto as its type signature), its
 * position in the table, its id (stable across renames: scans find the column by id in files
 * zkarrow wrote) and, for registered tables, its name inside the registered files (null otherwise).
 */
public final class ZkArrowColumnHandle extends ValueHandle implements ColumnHandle {
    private final String name;
    private final Type type;
    private final int ordinal;
    private final long id;
    private final String fileName;

    @JsonCreator
    public ZkArrowColumnHandle(
            @JsonProperty("name") String name,
            @JsonProperty("type") Type type,
            @JsonProperty("ordinal") int ordinal,
            @JsonProperty("id") long id,
            @JsonProperty("fileName") String fileName) {
        this.name = requireNonNull(name, "name is null");
        this.type = requireNonNull(type, "type is null");
        this.ordinal = ordinal;
        this.id = id;
        this.fileName = fileName;
    }

    @JsonProperty
    public String getName() {
        return name;
    }

    @JsonProperty
    public Type getType() {
        return type;
    }

    @JsonProperty
    public int getOrdinal() {
        return ordinal;
    }

    /** The table column's id (get_table's {@code columns[].id}, a u32). */
    @JsonProperty
    public long getId() {
        return id;
    }

    /** The column's name inside registered files, or null (files zkarrow wrote carry the id). */
    @JsonProperty
    public String getFileName() {
        return fileName;
    }

    public ColumnMetadata toColumnMetadata() {
        return ColumnMetadata.builder().setName(name).setType(type).setNullable(true).build();
    }

    @Override
    List<Object> identity() {
        return Arrays.asList(name, type, ordinal, id, fileName);
    }

    @Override
    public String toString() {
        return name
                + ":"
                + type
                + "#"
                + ordinal
                + "@"
                + id
                + (fileName == null ? "" : "(" + fileName + ")");
    }
}
