/**
 * Who is calling: POS keys ({@code X-Api-Key}, kept as SHA-256 hashes) and signed bearer tokens issued at login
 * (HS256, signing key generated on first start and kept in the data folder), checked by a Jakarta Security
 * authentication mechanism on every request.
 */
package org.loyaltyengine.engine.infrastructure.security;
