package org.loyaltyengine.engine.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/** The engine's HTTP API, version 1, under {@code /api/v1}. */
@ApplicationPath("/api/v1")
@OpenAPIDefinition(info = @Info(title = "Loyalty engine", version = "1",
        description = "Points, tiers, rewards and offers for tills, customers and programme managers."))
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = "posKey", type = SecuritySchemeType.APIKEY,
                in = SecuritySchemeIn.HEADER, apiKeyName = "X-Api-Key",
                description = "A till's key: one store of one programme"),
        @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
                bearerFormat = "JWT", description = "The token returned by POST /api/v1/auth/login")
})
public class LoyaltyApplication extends Application {
}
