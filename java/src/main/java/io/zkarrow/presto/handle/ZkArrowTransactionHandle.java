package io.zkarrow.presto.handle;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.connector.ConnectorTransactionHandle;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.UUID;

/**
 * One transaction (one query in auto-commit mode): the connector keeps its metadata until commit or
 * rollback.
 */
public final class ZkArrowTransactionHandle implements ConnectorTransactionHandle {
    private final String id;

    public ZkArrowTransactionHandle() {
        this(UUID.randomUUID().toString());
    }

    @JsonCreator
    public ZkArrowTransactionHandle(@JsonProperty("id") String id) {
        this.id = requireNonNull(id, "id is null");
    }

    @JsonProperty
    public String getId() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof ZkArrowTransactionHandle
                        && id.equals(((ZkArrowTransactionHandle) o).id));
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
