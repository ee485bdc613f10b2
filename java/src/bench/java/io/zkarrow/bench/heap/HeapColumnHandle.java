package io.zkarrow.bench.heap;

import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ColumnHandle;
import com.facebook.presto.spi.ColumnMetadata;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/** A column: its name, type and channel (its position in the stored pages). */
public final class HeapColumnHandle implements ColumnHandle {
    private final String name;
    private final Type type;
    private final int channel;

    @JsonCreator
    public HeapColumnHandle(
            @JsonProperty("name") String name,
            @JsonProperty("type") Type type,
            @JsonProperty("channel") int channel) {
        this.name = name;
        this.type = type;
        this.channel = channel;
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
    public int getChannel() {
        return channel;
    }

    ColumnMetadata toColumnMetadata() {
        return ColumnMetadata.builder().setName(name).setType(type).build();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HeapColumnHandle)) {
            return false;
        }
        HeapColumnHandle other = (HeapColumnHandle) o;
        return channel == other.channel && name.equals(other.name) && type.equals(other.type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, channel);
    }

    @Override
    public String toString() {
        return name + ":" + type + "#" + channel;
    }
}
