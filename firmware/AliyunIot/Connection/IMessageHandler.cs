using System.Collections;

namespace AliyunIot.Connection
{
    /// <summary>
    /// A component that owns some incoming topics (thing model, OTA, NTP, pending replies ...).
    /// The session's single worker thread calls it; it never runs on a transport callback thread.
    /// </summary>
    public interface IMessageHandler
    {
        /// <summary>Adds the concrete topics (or filters) this component needs subscribed after every connect.</summary>
        void AddSubscriptions(ArrayList topics);

        /// <summary>Handles a message if it is one of this component's topics.</summary>
        /// <returns>true when the message was this component's (handled or refused); false to let others look.</returns>
        bool Handle(string topic, byte[] payload);
    }
}
