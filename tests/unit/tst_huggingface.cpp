// HuggingFaceWire: the shapes a feature-extraction endpoint answers with, made into vectors.

#include "providers/huggingface/huggingfacewire.h"

#include <QTest>

using namespace gw;

class TstHuggingFace : public QObject
{
    Q_OBJECT

private slots:
    void featureExtractionShapes()
    {
        EmbedResult r = HuggingFaceWire::parseFeatures("[0.5,1.5]", 1);
        QCOMPARE(r.vectors, (QList<QList<double>>{{0.5, 1.5}}));
        r = HuggingFaceWire::parseFeatures("[[1,2],[3,4]]", 2);
        QCOMPARE(r.vectors.size(), 2);
        r = HuggingFaceWire::parseFeatures("[[[1,2],[3,4]],[[5,6],[7,8]]]",
                                           2); // per token: mean-pooled
        QCOMPARE(r.vectors, (QList<QList<double>>{{2, 3}, {6, 7}}));
        QVERIFY(!HuggingFaceWire::parseFeatures("[[1,2]]", 2).ok());
        QVERIFY(!HuggingFaceWire::parseFeatures("{\"error\":\"x\"}", 1).ok());
    }
};

QTEST_GUILESS_MAIN(TstHuggingFace)
#include "tst_huggingface.moc"
