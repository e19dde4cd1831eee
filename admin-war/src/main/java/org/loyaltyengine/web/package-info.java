/**
 * The deployable's own parts: the data sources it defines for the engine, the start-up banner, and (later) the
 * back office and customer pages.
 */
package org.loyaltyengine.web;
