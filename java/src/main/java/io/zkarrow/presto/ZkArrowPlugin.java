package io.zkarrow.presto;

import com.facebook.presto.spi.Plugin;
import com.facebook.presto.spi.connector.ConnectorFactory;

import java.util.Collections;

public final class ZkArrowPlugin implements Plugin {
    @Override
    public Iterable<ConnectorFactory> getConnectorFactories() {
        return Collections.singletonList(new ZkArrowConnectorFactory());
    }
}
