package io.zkarrow.bench.heap;

import com.facebook.presto.spi.Plugin;
import com.facebook.presto.spi.connector.ConnectorFactory;

import java.util.Collections;

/** The plugin of the {@code heap} connector (found through META-INF/services). */
public final class HeapPlugin implements Plugin {
    @Override
    public Iterable<ConnectorFactory> getConnectorFactories() {
        return Collections.singletonList(new HeapConnectorFactory());
    }
}
