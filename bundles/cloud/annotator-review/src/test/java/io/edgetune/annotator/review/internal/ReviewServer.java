package io.edgetune.annotator.review.internal;

import io.edgetune.api.annotate.AnnotatorService;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/** The review servlet in Jetty 9.4 (what Felix HTTP Jetty 4.2 embeds), mounted as the component mounts it. */
final class ReviewServer implements AutoCloseable {

    /** What the component's dynamic reference holds; null is "annotator not running". */
    final AtomicReference<AnnotatorService> annotator = new AtomicReference<>();
    private final Server server;
    final String base;

    ReviewServer(AnnotatorService service, int pageSize) throws Exception {
        annotator.set(service);
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ReviewServlet(annotator::get, pageSize, 200)), ReviewComponent.DEFAULT_PREFIX + "/*");
        server.setHandler(context);
        server.start();
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        base = "http://127.0.0.1:" + port + ReviewComponent.DEFAULT_PREFIX;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
