package io.zkarrow.presto;

import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ColumnHandle;
import com.facebook.presto.spi.ColumnMetadata;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * A column: its name as stored in the Arrow schema (case kept), its Presto type (serialized by Presto
 * as its type signature) and its position in the table.
 */
public final class ZkArrowColumnHandle
        implements ColumnHandle
{
    private final String name;
    private final Type type;
    private final int ordinal;

    @JsonCreator
    public ZkArrowColumnHandle(
            @JsonProperty("name") String name,
            @JsonProperty("type") Type type,
            @JsonProperty("ordinal") int ordinal)
    {
        this.name = requireNonNull(name, "name is null");
        this.type = requireNonNull(type, "type is null");
        this.ordinal = ordinal;
    }

    @JsonProperty
    public String getName()
    {
        return name;
    }

    @JsonProperty
    public Type getType()
    {
        return type;
    }

    @JsonProperty
    public int getOrdinal()
    {
        return ordinal;
    }

    public ColumnMetadata toColumnMetadata()
    {
        return ColumnMetadata.builder()
                .setName(name)
                .setType(type)
                .setNullable(true)
                .build();
    }

    @Override
    public boolean equals(Object o)
    {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass()) {
            return false;
        }
        ZkArrowColumnHandle other = (ZkArrowColumnHandle) o;
        return ordinal == other.ordinal && name.equals(other.name) && type.equals(other.type);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(name, type, ordinal);
    }

    @Override
    public String toString()
    {
        return name + ":" + type + "#" + ordinal;
    }
}
