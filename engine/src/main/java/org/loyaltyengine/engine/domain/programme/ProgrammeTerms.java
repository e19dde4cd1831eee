package org.loyaltyengine.engine.domain.programme;

import java.math.BigDecimal;
import java.time.ZoneId;

/**
 * The terms a programme is created with.
 *
 * @param code                  short stable code, upper case ("DEMO")
 * @param name                  the name members see
 * @param currency              ISO 4217 code of purchases and of the point value
 * @param pointsExpireAfterDays how long earned points stay spendable
 * @param pendingDays           how long earned points wait before they can be spent (the returns period)
 * @param pointValue            money one point pays for when redeemed
 * @param tierWindowDays        the rolling window qualifying points are counted in
 * @param zone                  the programme's time zone: days, expiry dates and reviews follow it
 */
public record ProgrammeTerms(String code, String name, String currency, int pointsExpireAfterDays, int pendingDays,
                             BigDecimal pointValue, int tierWindowDays, ZoneId zone) {
}
