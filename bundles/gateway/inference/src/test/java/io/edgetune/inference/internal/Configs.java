package io.edgetune.inference.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** DetectorConfig instances as ConfigAdmin + DS would build them: defaults plus overrides. */
final class Configs {

    private Configs() {
    }

    static DetectorConfig detector(Map<String, Object> overrides) {
        return (DetectorConfig) Proxy.newProxyInstance(DetectorConfig.class.getClassLoader(), new Class<?>[] {DetectorConfig.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (overrides.containsKey(name)) {
                        return overrides.get(name);
                    }
                    switch (name) {
                        case "annotationType":
                            return DetectorConfig.class;
                        case "toString":
                            return "DetectorConfig" + overrides;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            return method.getDefaultValue();
                    }
                });
    }
}
