using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Json;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>Alink request/reply writers (exact bytes), the reader of requests and replies, and topic classification.</summary>
    [TestClass]
    public class AlinkTests
    {
        [TestMethod]
        public void Request_writer_produces_the_platform_shape()
        {
            AlinkRequestWriter writer = new AlinkRequestWriter(1024);
            writer.Begin("1", true);
            writer.Json.BeginObject();
            writer.Json.Name("Temp");
            writer.Json.Double(10, 1);
            writer.Json.Property("Power", 1);
            writer.Json.EndObject();
            byte[] bytes = writer.Finish("thing.event.property.post");

            Assert.AreEqual(
                "{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Temp\":10.0,\"Power\":1},\"method\":\"thing.event.property.post\"}",
                Text(bytes),
                "property post with ack");

            writer.Begin("2", false);
            writer.Json.BeginObject();
            writer.Json.EndObject();
            Assert.AreEqual("{\"id\":\"2\",\"version\":\"1.0\",\"params\":{},\"method\":\"thing.ota.firmware.get\"}", Text(writer.Finish("thing.ota.firmware.get")), "without ack");
        }

        [TestMethod]
        public void Reply_writer_produces_the_platform_shape()
        {
            AlinkReplyWriter writer = new AlinkReplyWriter(256);
            Assert.AreEqual("{\"id\":\"280608376\",\"code\":200,\"data\":{}}", Text(writer.Simple("280608376", 200, null)), "success");
            Assert.AreEqual("{\"id\":\"9\",\"code\":400,\"data\":{},\"message\":\"property Power: relay stuck\"}", Text(writer.Simple("9", 400, "property Power: relay stuck")), "failure with message");
        }

        [TestMethod]
        public void Request_reader_accepts_string_and_numeric_ids()
        {
            Hashtable root = new Hashtable();
            root["id"] = "123";
            root["version"] = "1.0";
            root["method"] = "thing.service.property.set";
            Hashtable parameters = new Hashtable();
            parameters["Power"] = 1;
            root["params"] = parameters;

            AlinkRequest request = AlinkRequest.From(root);
            Assert.AreEqual("123", request.Id, "string id");
            Assert.AreEqual("thing.service.property.set", request.Method, "method");
            Assert.AreEqual("1.0", request.Version, "version");
            Assert.IsTrue(request.Params is Hashtable, "params object");

            root["id"] = 456L;
            Assert.AreEqual("456", AlinkRequest.From(root).Id, "numeric id");
        }

        [TestMethod]
        public void Request_reader_refuses_a_non_decimal_id()
        {
            Hashtable root = new Hashtable();
            root["id"] = "12a";
            root["method"] = "thing.service.property.set";
            bool refused = false;
            try
            {
                AlinkRequest.From(root);
            }
            catch (JsonFieldException)
            {
                refused = true;
            }

            Assert.IsTrue(refused, "id \"12a\" must be refused");
        }

        [TestMethod]
        public void Reply_reader_and_reply_detection()
        {
            Hashtable root = new Hashtable();
            root["id"] = "77";
            root["code"] = 200;
            root["data"] = new Hashtable();
            root["method"] = "thing.event.property.post";
            AlinkReply reply = AlinkReply.From(root);
            Assert.AreEqual("77", reply.Id, "id");
            Assert.AreEqual(200, reply.Code, "code");

            Hashtable bare = new Hashtable();
            bare["id"] = "1";
            bare["code"] = 200;
            Assert.IsTrue(AlinkRequest.LooksLikeReply(bare), "code without method or params is a reply");
            bare["params"] = new Hashtable();
            Assert.IsFalse(AlinkRequest.LooksLikeReply(bare), "params makes it a request");
        }

        [TestMethod]
        public void Topics_are_classified_with_their_reply_topics()
        {
            DeviceTopics topics = new DeviceTopics("a1B2c3D4e5F", "dev1");
            AlinkTopicClassifier classifier = new AlinkTopicClassifier(topics);

            IncomingTopic set = classifier.Classify("/sys/a1B2c3D4e5F/dev1/thing/service/property/set");
            Assert.IsTrue(set.Kind == TopicKind.PropertySet, "property set");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/service/property/set_reply", set.ReplyTopic, "set reply topic");

            IncomingTopic service = classifier.Classify("/sys/a1B2c3D4e5F/dev1/thing/service/Reset");
            Assert.IsTrue(service.Kind == TopicKind.Service, "service");
            Assert.AreEqual("Reset", service.Identifier, "service identifier");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/thing/service/Reset_reply", service.ReplyTopic, "service reply topic");

            IncomingTopic rrpc = classifier.Classify("/sys/a1B2c3D4e5F/dev1/rrpc/request/1234567");
            Assert.IsTrue(rrpc.Kind == TopicKind.SysRrpc, "rrpc");
            Assert.AreEqual("/sys/a1B2c3D4e5F/dev1/rrpc/response/1234567", rrpc.ReplyTopic, "rrpc response topic");

            Assert.IsTrue(classifier.Classify("/sys/other/dev1/thing/service/property/set").Kind == TopicKind.Foreign, "another device's topic");
            Assert.IsTrue(classifier.Classify("/sys/a1B2c3D4e5F/dev1/thing/service/Re-set").Kind == TopicKind.Invalid, "unsafe service identifier");
        }

        private static string Text(byte[] bytes)
        {
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }
    }
}
