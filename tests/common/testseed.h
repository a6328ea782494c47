#pragma once

// The seed of a test's random data: fixed, so a run can be repeated, and changeable without a
// rebuild (LLMGW_TEST_SEED=n) to explore other inputs. When the test function fails, the seed
// it used is printed with the way to run it again.
//
//     gwtest::TestSeed seed(20240521);
//     QRandomGenerator rng = seed.generator();

#include <QRandomGenerator>
#include <QTest>

namespace gwtest {

class TestSeed
{
public:
    explicit TestSeed(quint32 fixed) : m_seed(fixed)
    {
        bool ok = false;
        const quint32 chosen = qEnvironmentVariable("LLMGW_TEST_SEED").toUInt(&ok);
        if (ok)
            m_seed = chosen;
    }
    TestSeed(const TestSeed &) = delete;
    TestSeed &operator=(const TestSeed &) = delete;
    ~TestSeed()
    {
        if (QTest::currentTestFailed())
            qInfo("%s used random data from seed %u: run it again with LLMGW_TEST_SEED=%u",
                  QTest::currentTestFunction(), m_seed, m_seed);
    }

    quint32 value() const { return m_seed; }
    QRandomGenerator generator() const { return QRandomGenerator(m_seed); }

private:
    quint32 m_seed;
};

} // namespace gwtest
