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
            AlinkEnvelope request = new AlinkEnvelope();
            Assert.IsNull(Read(request, "{\"id\":\"123\",\"version\":\"1.0\",\"params\":{\"Power\":1},\"method\":\"thing.service.property.set\"}"), "valid request");
            Assert.AreEqual("123", request.Id, "string id");
            Assert.IsNull(request.IdProblem, "no id problem");
            Assert.AreEqual("thing.service.property.set", request.Method, "method");
            Assert.AreEqual("1.0", request.Version, "version");
            Assert.IsTrue(request.ParamsKind == JsonToken.StartObject, "params object");
            Assert.IsTrue(request.ReadParams() is Hashtable, "params as a tree");

            Assert.IsNull(Read(request, "{\"id\":456,\"params\":[]}"), "numeric id");
            Assert.AreEqual("456", request.Id, "numeric id as decimal text");
            Assert.IsNull(request.Method, "method absent");
        }

        [TestMethod]
        public void Request_reader_refuses_a_non_decimal_id()
        {
            AlinkEnvelope request = new AlinkEnvelope();
            Assert.IsNull(Read(request, "{\"id\":\"12a\",\"method\":\"thing.service.property.set\"}"), "well-formed JSON");
            Assert.IsNull(request.Id, "no id");
            Assert.AreEqual("field id: expected 1..19 decimal digits", request.IdProblem, "id \"12a\" must be refused");

            Assert.IsNull(Read(request, "{\"id\":-1,\"method\":7}"), "well-formed JSON");
            Assert.AreEqual("field id: expected a decimal string or a non-negative integer", request.IdProblem, "negative id");
            Assert.AreEqual("field method: expected string", request.MethodProblem, "method must be a string");
            Assert.IsNull(Read(request, "{\"params\":{}}"), "well-formed JSON");
            Assert.AreEqual("field id: missing", request.IdProblem, "missing id");
        }

        [TestMethod]
        public void Request_reader_returns_problems_for_text_that_is_not_one_object()
        {
            AlinkEnvelope request = new AlinkEnvelope();
            Assert.AreEqual("expected a JSON object", Read(request, "[1,2]"), "root array");
            Assert.IsNotNull(Read(request, "{\"id\":\"1\",\"params\":{\"a\":1}"), "truncated");
            Assert.IsNotNull(Read(request, "{\"id\":\"1\"} {}"), "two documents");
            Assert.IsNotNull(Read(request, "{\"id\":\"1\",\"params\":{\"a\":tru}}"), "bad literal inside params is found in the same pass");
        }

        [TestMethod]
        public void Reply_reader_and_reply_detection()
        {
            string problem;
            AlinkReply reply = AlinkReply.Read(Bytes("{\"id\":\"77\",\"code\":200,\"data\":{},\"method\":\"thing.event.property.post\"}"), out problem);
            Assert.IsNull(problem, "valid reply");
            Assert.AreEqual("77", reply.Id, "id");
            Assert.AreEqual(200, reply.Code, "code");
            Assert.IsTrue(reply.Data is Hashtable, "data object");

            Assert.IsNull(AlinkReply.Read(Bytes("{\"id\":\"77\",\"code\":2.5}"), out problem), "fractional code");
            Assert.AreEqual("field code: expected integer", problem, "code must be an integer");
            Assert.IsNull(AlinkReply.Read(Bytes("{\"id\":\"77\",\"code\":4294967296}"), out problem), "code beyond int");
            Assert.AreEqual("field code: out of range", problem, "code range");

            AlinkEnvelope bare = new AlinkEnvelope();
            Read(bare, "{\"id\":\"1\",\"code\":200}");
            Assert.IsTrue(bare.LooksLikeReply, "code without method or params is a reply");
            Read(bare, "{\"id\":\"1\",\"code\":200,\"params\":{}}");
            Assert.IsFalse(bare.LooksLikeReply, "params makes it a request");
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

        private static string Read(AlinkEnvelope envelope, string json)
        {
            byte[] payload = Bytes(json);
            return envelope.Read(payload, payload.Length, JsonGuard.DefaultMaxDepth);
        }

        private static byte[] Bytes(string json)
        {
            return Encoding.UTF8.GetBytes(json);
        }

        private static string Text(byte[] bytes)
        {
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }
    }
}
