package io.edgetune.annotator.review.internal;

import io.edgetune.api.annotate.AnnotatorService;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.servlet.Servlet;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the review page with the OSGi HTTP Whiteboard. The annotator is
 * optional: without it the page stays up and says "annotator not running".
 */
@Designate(ocd = ReviewComponent.Config.class)
@Component(name = ReviewComponent.PID, immediate = true, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConfigurableComponent.class)
public class ReviewComponent implements ConfigurableComponent {

    static final String PID = "io.edgetune.annotator.review.Review";
    static final String DEFAULT_PREFIX = "/edgetune/review";
    private static final Logger LOG = LoggerFactory.getLogger(ReviewComponent.class);

    @ObjectClassDefinition(id = PID, name = "EdgeTune annotator review page",
            description = "Web page to review the annotator's datasets (frames with the teacher's and the gateway's boxes, "
                    + "accept/reject) and follow or start retraining rounds.")
    public @interface Config {
        @AttributeDefinition(name = "path.prefix",
                description = "Where the page is served on the HTTP service, e.g. /edgetune/review (letters, digits, '/', '-', '_', '.').")
        String path_prefix() default DEFAULT_PREFIX;

        @AttributeDefinition(name = "page.size", description = "Frames shown per page.", min = "1", max = "200")
        int page_size() default 12;

        @AttributeDefinition(name = "whiteboard.target",
                description = "LDAP filter selecting the HTTP Whiteboard (osgi.http.whiteboard.target); empty for any.")
        String whiteboard_target() default "";
    }

    // optional and dynamic: the page answers 503 while no annotator is there
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AnnotatorService annotator;
    private BundleContext context;
    private ServiceRegistration<Servlet> registration;
    private String registeredKey;

    @Activate
    void activate(BundleContext ctx, Config config) {
        context = ctx;
        register(config);
    }

    @Modified
    void modified(Config config) {
        register(config);
    }

    @Deactivate
    synchronized void deactivate() {
        unregister();
        context = null;
    }

    /** (Re)registers the servlet when the settings changed; both calls return at once. */
    private synchronized void register(Config config) {
        String prefix = validPrefix(config.path_prefix());
        int pageSize = Math.max(1, Math.min(200, config.page_size()));
        String target = config.whiteboard_target() == null ? "" : config.whiteboard_target().trim();
        String key = prefix + "|" + pageSize + "|" + target;
        if (key.equals(registeredKey) || context == null) {
            return;
        }
        unregister();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", prefix + "/*");
        props.put("osgi.http.whiteboard.servlet.name", "edgetune-annotator-review");
        if (!target.isEmpty()) {
            props.put("osgi.http.whiteboard.target", target);
        }
        registration = context.registerService(Servlet.class, new ReviewServlet(() -> annotator, pageSize, 200), props);
        registeredKey = key;
        LOG.info("annotator review page at {}/ ({} frames per page)", prefix, pageSize);
    }

    private void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework took it down first
            }
            registration = null;
            registeredKey = null;
        }
    }

    /** The configured prefix without a trailing slash, or the default when it is not a plain path. */
    static String validPrefix(String configured) {
        String p = configured == null ? "" : configured.trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.matches("(/[A-Za-z0-9._-]+)+") || p.contains("/../") || p.endsWith("/..")) {
            LOG.warn("path.prefix '{}' is not a plain path such as /edgetune/review; using {}", configured, DEFAULT_PREFIX);
            return DEFAULT_PREFIX;
        }
        return p;
    }
}
