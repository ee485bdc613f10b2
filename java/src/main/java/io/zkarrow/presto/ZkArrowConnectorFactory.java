package io.zkarrow.presto;

import com.facebook.presto.spi.ConnectorHandleResolver;
import com.facebook.presto.spi.connector.Connector;
import com.facebook.presto.spi.connector.ConnectorContext;
import com.facebook.presto.spi.connector.ConnectorFactory;

import java.util.Map;

import static java.util.Objects.requireNonNull;

public final class ZkArrowConnectorFactory
        implements ConnectorFactory
{
    public static final String NAME = "zkarrow";

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public ConnectorHandleResolver getHandleResolver()
    {
        return new ZkArrowHandleResolver();
    }

    @Override
    public Connector create(String catalogName, Map<String, String> config, ConnectorContext context)
    {
        requireNonNull(context, "context is null");
        ZkArrowConfig parsed = ZkArrowConfig.parse(catalogName, config);
        // the plugin's class loader, so that the library and the classes it caches come from it
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(ZkArrowConnectorFactory.class.getClassLoader());
        try {
            return new ZkArrowConnector(ZkArrowClient.open(parsed, context.getTypeManager()));
        }
        finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }
}
