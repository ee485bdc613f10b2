package io.zkarrow.bench.heap;

import com.facebook.presto.spi.ConnectorHandleResolver;
import com.facebook.presto.spi.connector.Connector;
import com.facebook.presto.spi.connector.ConnectorContext;
import com.facebook.presto.spi.connector.ConnectorFactory;

import java.util.Map;

/** {@code connector.name=heap}; takes no properties. Each catalog gets its own store. */
public final class HeapConnectorFactory implements ConnectorFactory {
    @Override
    public String getName() {
        return "heap";
    }

    @Override
    public ConnectorHandleResolver getHandleResolver() {
        return new HeapHandleResolver();
    }

    @Override
    public Connector create(
            String catalogName, Map<String, String> config, ConnectorContext context) {
        if (!config.isEmpty()) {
            throw new IllegalArgumentException(
                    "the heap connector takes no properties, got " + config.keySet());
        }
        return new HeapConnector(new HeapStore());
    }
}
