package org.loyaltyengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EditDistanceTest {

    @Test
    void countsTheLettersToAddRemoveOrChange() {
        assertThat(EditDistance.between("quantity", "quantity")).isZero();
        assertThat(EditDistance.between("quantiy", "quantity")).isEqualTo(1);
        assertThat(EditDistance.between("spentIn", "spentInCategory")).isEqualTo(8);
        assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
        assertThat(EditDistance.between("", "abc")).isEqualTo(3);
    }

    @Test
    void stopsPastTheLimitAndSaysSoByOneMore() {
        assertThat(EditDistance.between("zoe dupont", "zoe dupond", 2)).isEqualTo(1);
        assertThat(EditDistance.between("kitten", "sitting", 2)).isEqualTo(3);
        assertThat(EditDistance.between("ann", "annabelle", 2)).isEqualTo(3);
    }
}
