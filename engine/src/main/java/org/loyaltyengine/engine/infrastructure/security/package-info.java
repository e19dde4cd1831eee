/**
 * Who is calling: POS keys ({@code X-Api-Key}, kept as SHA-256 hashes) and signed bearer tokens issued at login
 * (HS256, signing key generated on first start and kept in the data folder), checked on every request by
 * {@link org.loyaltyengine.engine.infrastructure.security.Credentials}; a token's session must also still be open
 * (not logged out of, no password changed since), as the database tells every instance.
 */
package org.loyaltyengine.engine.infrastructure.security;
