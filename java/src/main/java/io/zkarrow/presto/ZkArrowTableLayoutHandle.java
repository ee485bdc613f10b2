package io.zkarrow.presto;

import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

import static java.util.Objects.requireNonNull;

public final class ZkArrowTableLayoutHandle
        implements ConnectorTableLayoutHandle
{
    private final ZkArrowTableHandle table;

    @JsonCreator
    public ZkArrowTableLayoutHandle(@JsonProperty("table") ZkArrowTableHandle table)
    {
        this.table = requireNonNull(table, "table is null");
    }

    @JsonProperty
    public ZkArrowTableHandle getTable()
    {
        return table;
    }

    @Override
    public boolean equals(Object o)
    {
        return this == o || (o instanceof ZkArrowTableLayoutHandle && table.equals(((ZkArrowTableLayoutHandle) o).table));
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(table);
    }

    @Override
    public String toString()
    {
        return table.toString();
    }
}
