package org.loyaltyengine.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.ws.rs.HttpMethod;

import org.junit.jupiter.api.Test;

/**
 * Every resource method names who may call it: one that did not would be refused to everyone. Only methods for
 * managers take bodies over 256 KiB.
 */
class CalledByTest {

    @Test
    void everyResourceMethodNamesItsCallers() throws Exception {
        List<String> unnamed = new ArrayList<>();
        List<Class<?>> resources = resources();
        for (Class<?> resource : resources) {
            for (Method method : resource.getMethods()) {
                if (isResourceMethod(method) && AccessFilter.callersOf(resource, method) == null) {
                    unnamed.add(resource.getSimpleName() + "." + method.getName());
                }
            }
        }

        assertThat(resources).as("the resources found").hasSizeGreaterThanOrEqualTo(12);
        assertThat(unnamed).as("resource methods that name no callers").isEmpty();
    }

    @Test
    void onlyAManagersRuleSetAndMemberImportTakeLargeBodies() throws Exception {
        List<String> large = new ArrayList<>();
        for (Class<?> resource : resources()) {
            for (Method method : resource.getMethods()) {
                if (isResourceMethod(method) && LargeBodyLimit.takesLargeBodies(method)) {
                    large.add(resource.getSimpleName() + "." + method.getName() + " "
                            + AccessFilter.callersOf(resource, method));
                }
            }
        }

        assertThat(large).containsExactlyInAnyOrder("AdminRulesResource.save MANAGERS",
                "AdminKnowledgeResource.importMembers MANAGERS");
    }

    @Test
    void aMethodThatNamesItsCallersOverridesItsClass() throws Exception {
        Method logout = AuthResource.class.getMethod("logout", String.class, boolean.class);
        Method login = AuthResource.class.getMethod("login", LoginRequest.class);

        assertThat(AccessFilter.callersOf(AuthResource.class, logout)).isEqualTo(Callers.SIGNED_IN);
        assertThat(AccessFilter.callersOf(AuthResource.class, login)).isEqualTo(Callers.ANYONE);
        assertThat(AccessFilter.callersOf(PosResource.class, null)).isEqualTo(Callers.TILLS);
        assertThat(AccessFilter.callersOf(null, null)).as("no resource: no one").isNull();
    }

    private static boolean isResourceMethod(Method method) {
        return !Modifier.isStatic(method.getModifiers()) && Stream.of(method.getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().isAnnotationPresent(HttpMethod.class));
    }

    /** The classes of this package that are resources, from the compiled classes' folder. */
    private static List<Class<?>> resources() throws IOException, URISyntaxException, ClassNotFoundException {
        Path folder = Path.of(AccessFilter.class.getResource("AccessFilter.class").toURI()).getParent();
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName(AccessFilter.class.getPackageName() + "." + name);
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    found.add(type);
                }
            }
        }
        return found;
    }
}
